package stackdb_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
)

func TestStats(t *testing.T) {
	t.Parallel()
	ctx, pool, _ := setup(t)
	st, err := stackdb.Stats(ctx, pool, stackdb.StatsOptions{})
	require.NoError(t, err)
	var users *stackdb.TableStats
	for i := range st.Tables {
		if st.Tables[i].TableName == "users" {
			users = &st.Tables[i]
		}
	}
	require.NotNil(t, users)
	require.Positive(t, users.TotalBytes)
	var pkey *stackdb.IndexStats
	for i := range st.Indexes {
		if st.Indexes[i].IndexName == "users_pkey" {
			pkey = &st.Indexes[i]
		}
	}
	require.NotNil(t, pkey)
	require.True(t, pkey.IsPrimary)
	require.False(t, pkey.Unused, "a primary key is never a candidate to drop")
}
