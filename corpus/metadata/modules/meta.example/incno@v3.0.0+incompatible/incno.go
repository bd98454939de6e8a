package incno

// V names this version.
const V = "v3.0.0+incompatible"
