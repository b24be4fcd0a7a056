"""A letter as it stood at the end of a day (`?as_of=`), rebuilt from its history (history/past.py)."""

from history.past import as_instance, attach, attach_many, ordered

from .models import Actor, Letter, Recipient, RequestedAction, Source


def letter_as_of(past, pk):
    """(letter, its history record) as they stood, with sources, recipients and requested
    actions; (None, None) if the letter did not exist then."""
    record = past.record(Letter, pk)
    if record is None:
        return None, None
    letter = as_instance(record)
    source_ids = past.linked_ids([record], "sources", "source")[pk]
    recipients = [as_instance(r) for r in past.records(Recipient, letter_id=pk).values()]
    action_records = past.records(RequestedAction, letter_id=pk)
    addressees = past.linked_ids(action_records.values(), "addressees", "actor")
    actions = [as_instance(r) for r in action_records.values()]
    actors = past.then_or_now(
        Actor,
        [
            letter.sender_id,
            letter.signatory_id,
            *(r.actor_id for r in recipients),
            *(actor_id for ids in addressees.values() for actor_id in ids),
        ],
    )
    sources = past.then_or_now(Source, [*source_ids, *(action.source_id for action in actions)])
    attach(letter, "sender", actors[letter.sender_id])
    if letter.signatory_id:
        attach(letter, "signatory", actors[letter.signatory_id])
    # An actor or source deleted since is gone from the history's tables too: show the links that remain.
    attach_many(
        letter, "sources", ordered([sources[i] for i in source_ids if i in sources], "title", "pk")
    )
    for recipient in recipients:
        attach(recipient, "actor", actors[recipient.actor_id])
    attach_many(letter, "recipients", ordered(recipients, "role", "pk"))
    for action in actions:
        attach(action, "source", sources[action.source_id])
        attach_many(
            action,
            "addressees",
            ordered([actors[i] for i in addressees[action.pk] if i in actors], "name"),
        )
    attach_many(letter, "requested_actions", ordered(actions, "position"))
    return letter, record
