// A stand-in for the gateway: the module the plugin is loaded into.
module example.com/gateway

go 1.22
