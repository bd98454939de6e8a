package thing

// V names this version.
const V = "v1.0.0"
