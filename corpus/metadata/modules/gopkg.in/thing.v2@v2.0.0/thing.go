package thing

// V names this version.
const V = "v2.0.0"
