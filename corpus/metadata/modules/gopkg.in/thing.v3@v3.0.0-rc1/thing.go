package thing

// V names this version.
const V = "v3.0.0-rc1"
