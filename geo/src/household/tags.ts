/**
 * Household tags for groups that patrols visit first. These are sensitive personal data:
 * they never leave the server except to staff whose scope covers the household.
 */
export const HOUSEHOLD_TAGS = [
  { key: 'hardship', name: '困难户', nameEn: 'Hardship' },
  { key: 'petitioner', name: '上访户', nameEn: 'Petitioner' },
  { key: 'bereaved_parents', name: '失独家庭', nameEn: 'Bereaved parents (lost only child)' },
  { key: 'left_behind_children', name: '留守儿童', nameEn: 'Left-behind children' },
  { key: 'elderly_alone', name: '独居老人', nameEn: 'Elderly living alone' },
  { key: 'disabled', name: '残疾人', nameEn: 'Disabled' },
  { key: 'unemployed', name: '失业人员', nameEn: 'Unemployed' },
  { key: 'community_correction', name: '社区矫正', nameEn: 'Under community correction' },
] as const

export type HouseholdTag = (typeof HOUSEHOLD_TAGS)[number]['key']
export const HOUSEHOLD_TAG_KEYS = HOUSEHOLD_TAGS.map((t) => t.key) as HouseholdTag[]
