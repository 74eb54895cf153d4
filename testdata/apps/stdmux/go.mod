module stdmux

go 1.23
