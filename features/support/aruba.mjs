// Aruba's dialect is loaded beside daemon-steps' own vocabulary for the whole suite, as a project
// moving from Aruba would load both: every run proves that no phrase matches a step of each.
// features/aruba/ holds the scenarios of the dialect itself.
import 'daemon-steps/aruba';
