// Deprecated: read from v1.0.0, the latest: v2.0.0+incompatible is not a candidate.
module meta.example/incgm

go 1.21
