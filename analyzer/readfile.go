package analyzer

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// Why a file crudmap meant to read was skipped. Permission and existence
// errors stay the os package's (fs.ErrPermission, fs.ErrNotExist).
var (
	errNotRegular = errors.New("not a regular file")
	errTooLarge   = errors.New("too large")
)

// maxGoFileBytes bounds a Go source file crudmap reads itself (for
// suppression comments or a package clause): larger ones are generated data.
const maxGoFileBytes = 16 << 20

// readRegular reads the file at path when it is a regular file itself (not
// a symbolic link, a device, a FIFO or a directory) of at most max bytes.
// Every file crudmap reads from the analysed tree goes through it: a
// /dev/zero behind a link or a FIFO named *.sql must neither exhaust memory
// nor block the run.
func readRegular(path string, max int64) ([]byte, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	return readChecked(path, info, max)
}

// readRegularTarget is readRegular for a path the user named (-schema): a
// symbolic link is followed, to a regular file.
func readRegularTarget(path string, max int64) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	return readChecked(path, info, max)
}

// readChecked reads path, which info describes, after checking it is a
// regular file of at most max bytes. The file is opened without blocking
// (a FIFO put in its place since info was taken must not hang the open),
// and must still be the same regular file once open; the read stops at
// max bytes whatever the file has become.
func readChecked(path string, info fs.FileInfo, max int64) ([]byte, error) {
	if !info.Mode().IsRegular() {
		return nil, notRegular(info.Mode())
	}
	if info.Size() > max {
		return nil, errTooLarge
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	opened, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !opened.Mode().IsRegular() || !os.SameFile(info, opened) {
		return nil, fmt.Errorf("%w (replaced while read)", errNotRegular)
	}
	src, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(src)) > max {
		return nil, errTooLarge
	}
	return src, nil
}

// openDirectory opens the directory at path for reading its entries,
// without blocking: a FIFO put in its place must not hang the open.
func openDirectory(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.IsDir() {
		err = &fs.PathError{Op: "open", Path: path, Err: syscall.ENOTDIR}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// notRegular is errNotRegular, saying what the file is instead.
func notRegular(mode fs.FileMode) error {
	kind := "special file"
	switch {
	case mode&fs.ModeSymlink != 0:
		kind = "symbolic link"
	case mode.IsDir():
		kind = "directory"
	case mode&fs.ModeNamedPipe != 0:
		kind = "named pipe"
	case mode&fs.ModeDevice != 0:
		kind = "device"
	case mode&fs.ModeSocket != 0:
		kind = "socket"
	}
	return fmt.Errorf("%w (%s)", errNotRegular, kind)
}

// skipReason says in a few words why reading a file failed, for a note:
// "permission denied", "not found", "not a regular file (named pipe)".
func skipReason(err error, max int64) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, fs.ErrNotExist):
		return "not found"
	case errors.Is(err, errTooLarge):
		return fmt.Sprintf("larger than %s", byteSize(max))
	case errors.Is(err, errNotRegular):
		return err.Error()
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// byteSize writes n bytes in the largest whole unit: "8 MB", "1 MB", "512 B".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
