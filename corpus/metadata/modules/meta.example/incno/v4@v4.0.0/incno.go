package incno

// V names this version.
const V = "v4.0.0"
