# The top 10 repositories by traffic require 2 approving reviews on the default branch.
#
# Rank is posture's traffic ranking (14-day views; GitLab 30-day fetches; stars + forks where
# traffic is unreadable); `input.rank.position` is null for archived repositories. The
# required approvals are the strongest requirement of the default branch's effective
# protection (`input.branch_protection`: classic protection merged with every active ruleset,
# repo or org level; GitLab approval rules).
package posture.top10_two_approvals

metadata := {
	"title": "Top 10 repositories by traffic require 2 approvals",
	"severity": "high",
	"rationale": "The most-used repositories are where one unreviewed change does the most harm: two engineers approve every change.",
	"fix": "Require 2 approving reviews on the default branch (a ruleset pull_request rule or classic protection).",
}

required := 2

top_ten if {
	is_number(input.rank.position)
	input.rank.position <= 10
}

approvals := input.branch_protection.required_approvals

deny contains msg if {
	top_ten
	approvals < required
	count(input.branch_protection.unreadable) == 0
	msg := sprintf("rank %d by traffic: %d approving review(s) required on %s, needs %d", [input.rank.position, approvals, input.repository.default_branch, required])
}

unknown contains sprintf("rank %d: %s", [input.rank.position, concat("; ", input.branch_protection.unreadable)]) if {
	top_ten
	approvals < required
	count(input.branch_protection.unreadable) > 0
}

not_applicable := sprintf("rank %d: not in the top 10", [input.rank.position]) if {
	is_number(input.rank.position)
	input.rank.position > 10
}

not_applicable := "not ranked" if not is_number(input.rank.position)
