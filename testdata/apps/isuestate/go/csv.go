package main

import (
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"strconv"
)

// recordReader walks the columns of one CSV record, remembering the first
// conversion error so a caller can read a whole row and check once.
type recordReader struct {
	record []string
	pos    int
	err    error
}

func newRecordReader(record []string) *recordReader {
	return &recordReader{record: record}
}

func (r *recordReader) next() (string, bool) {
	if r.err != nil {
		return "", false
	}
	if r.pos >= len(r.record) {
		r.err = fmt.Errorf("too few columns: want more than %d", r.pos)
		return "", false
	}
	s := r.record[r.pos]
	r.pos++
	return s, true
}

func (r *recordReader) String() string {
	s, _ := r.next()
	return s
}

func (r *recordReader) Int() int64 {
	s, ok := r.next()
	if !ok {
		return 0
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		r.err = fmt.Errorf("column %d: %w", r.pos, err)
		return 0
	}
	return v
}

func (r *recordReader) Float() float64 {
	s, ok := r.next()
	if !ok {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		r.err = fmt.Errorf("column %d: %w", r.pos, err)
		return 0
	}
	return v
}

func (r *recordReader) Err() error {
	return r.err
}

// readUploadedCSV reads every record of the uploaded file header.
func readUploadedCSV(header *multipart.FileHeader) ([][]string, error) {
	f, err := header.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return csv.NewReader(f).ReadAll()
}
