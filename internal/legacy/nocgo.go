//go:build !cgo

package legacy

const cgoEnabled = false
