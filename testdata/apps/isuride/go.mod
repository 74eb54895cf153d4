module isuride

go 1.23
