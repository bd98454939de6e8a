module localmodule

go 1.21
