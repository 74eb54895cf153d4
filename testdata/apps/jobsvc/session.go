package main

import (
	"bufio"
	"database/sql"
	"fmt"
	"net"
	"strings"
)

// serveStatus answers a line protocol on ln: each client sends a job id a
// line and gets its status back.
func serveStatus(db *sql.DB, ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go session(db, conn)
	}
}

// session reads one command a round and answers it on the connection: a
// query per command is per client request, no N+1.
func session(db *sql.DB, conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		var status string
		db.QueryRow("SELECT status FROM jobs WHERE id = ?", strings.TrimSpace(line)).Scan(&status)
		if _, err := conn.Write([]byte(fmt.Sprintln(status))); err != nil {
			return
		}
	}
}
