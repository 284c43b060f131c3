package pgcluster

// Test hooks: start in a given base directory (tests run in parallel, so they
// cannot share EnvBaseDir), and the pieces of baseDir.
var (
	StartIn          = startIn
	WritableDir      = writableDir
	CheckTraversable = checkTraversable
	OwnerToken       = ownerToken
)

const (
	MinShmFree = minShmFree
	ShmDir     = shmDir
)

// ChooseBaseDir is baseDir with its inputs given.
func ChooseBaseDir(explicit, tempDir string, free func(string) (uint64, error), usable func(string) error) (string, error) {
	return baseDirChoice{explicit: explicit, tempDir: tempDir, free: free, usable: usable}.choose()
}
