package layoutv2

import "maps"

// Clone returns an independent copy of s: every account with its fills, every market and the
// global leaf. Writes to the copy leave s unchanged and the reverse; a step's reference builds its
// new state on a clone. Not safe for concurrent use with writes to s.
func (s *State) Clone() *State {
	c := &State{
		accounts:    s.accounts.Clone(),
		accountData: make(map[uint64]*accountState, len(s.accountData)),
		markets:     s.markets.Clone(),
		marketData:  maps.Clone(s.marketData),
		global:      s.global,
	}
	for id, a := range s.accountData {
		c.accountData[id] = &accountState{fields: a.fields, fills: a.fills.Clone(), fillData: maps.Clone(a.fillData)}
	}
	return c
}
