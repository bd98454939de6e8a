// A stand-in for a plugin: it requires the gateway module by pseudo-version,
// as Tyk plugins do, because the gateway's tags cannot be used as versions.
module example.com/plugin

go 1.22

require example.com/gateway v0.0.0-20260101000000-0123456789ab
