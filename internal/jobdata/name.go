package jobdata

// Name is one name a reader may type for a value the normalizer writes: a
// role, a skill, a country or a region. Alias is folded (lower case, no
// accents, punctuation as spaces, as normalize folds a text), and never the
// folded value itself.
type Name struct {
	// Kind is NameRole, NameSkill, NameCountry, NameRegion or NameSame.
	Kind string
	// Value is what the normalizer writes: the role ("Frontend
	// Engineer"), the skill ("Kubernetes"), the country's ISO 3166-1
	// alpha-2 code ("DE"), the region ("Europe"); for NameSame, the name of
	// a group of words ("dev").
	Value string
	// Alias is one name of it ("k8s", "deutschland", "usa"); for NameSame,
	// one word of the group.
	Alias string
}

// The kinds of [Name].
const (
	// NameRole names a role by one word of the title patterns that give it
	// (rules/roles.tsv, here and below the rule tables of ingest/normalize):
	// "react" and "frontendentwickler" for Frontend Engineer. Words of any role's name and of the classes of
	// rules/words.tsv ("engineer", "manager", "lead") are left out: they
	// name no role of their own.
	NameRole = "role"
	// NameSkill names a skill by its tag and title names (rules/skills.tsv):
	// "golang" for Go, "k8s" for Kubernetes.
	NameSkill = "skill"
	// NameCountry names a country by its names in rules/places.tsv and in
	// the generated gazetteer/countries.tsv (CLDR, a dozen languages), and
	// by its code in lower case: "usa", "deutschland", "de".
	NameCountry = "country"
	// NameRegion names a region by its names in rules/places.tsv ("latin
	// america" for LATAM).
	NameRegion = "region"
	// NameSame lists the words that title patterns take for one another
	// (the class dev of rules/words.tsv: engineer, developer, entwickler,
	// ...), so that "frontend developer" finds Frontend Engineer.
	NameSame = "same"
)
