from applications.models import Application

# (transition, source) -> possible targets: DESIGN.md §5, pinned.
GRAPH = {
    ("request_materials", "submitted"): {"awaiting_materials"},
    ("supplement", "awaiting_materials"): {"submitted"},
    ("accept", "submitted"): {"initial_review"},
    ("pass_initial_review", "initial_review"): {"pending_notice"},
    ("fail_initial_review", "initial_review"): {"township_review", "county_review", "rejected"},
    ("publish", "pending_notice"): {"public_notice"},
    ("close_notice", "public_notice"): {"township_review", "county_review", "rejected"},
    ("township_approve", "township_review"): {"county_review"},
    ("township_reject", "township_review"): {"county_review"},
    ("county_approve", "county_review"): {"approved"},
    ("county_reject", "county_review"): {"rejected"},
    **{
        ("withdraw", source): {"withdrawn"}
        for source in [
            "submitted",
            "awaiting_materials",
            "initial_review",
            "pending_notice",
            "public_notice",
            "township_review",
            "county_review",
        ]
    },
}


def test_the_transition_graph_is_exactly_the_design():
    field = Application._meta.get_field("state")
    got = {}
    for t in field.get_all_transitions(Application):
        target = t.target
        targets = set(target.allowed_states) if hasattr(target, "allowed_states") else {target}
        got[(t.name, t.source)] = {str(s) for s in targets}
    assert got == GRAPH


def test_final_states_have_no_way_out():
    field = Application._meta.get_field("state")
    sources = {t.source for t in field.get_all_transitions(Application)}
    assert not sources & {"approved", "rejected", "withdrawn"}
