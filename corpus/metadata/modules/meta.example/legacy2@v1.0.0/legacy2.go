package legacy2

// V names this version.
const V = "v1.0.0"
