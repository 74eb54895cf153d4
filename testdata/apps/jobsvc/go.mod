module jobsvc

go 1.23

require example.com/rpcrt v0.1.0
