"""Every "who may" of Sintas, in one place. Each module opens with its rules in plain words.

- ``access.base``: what every policy stands on (acting in an active organisation; ``PolicySlot``).
- ``access.policy``: the case scope: who sees, changes and manages a case and its identity, who
  registers a survivor, who sees the organisation-wide work queues. Out of scope is 404, never 403.
- ``access.accounts``: who administers users (organisation administrators) and organisations
  (platform administrators); the menu entries that follow from roles.
- ``access.recovery``: who records and sees assessments (screening content: the case team only).
- ``access.plans``: who plans and who approves a rehabilitation plan.
- ``access.care``: who records service deliveries; who sets the services an organisation provides.
- ``access.partners``: who searches the partner directory and edits an organisation's profile.
- ``access.referrals``: the sender's and the recipient's side of a referral (registered by referrals).
- ``access.transfers``: who proposes, decides and reads case transfers (registered by transfers).
- ``access.monitoring``: who sees which level of aggregates and which reports (registered by monitoring).
- ``access.releases``: who makes public releases and SIMFONI-PPA exports (registered by releases).

``access`` sits in the record layer: it imports the ground, the spine and the record, never a room.
A room whose rules need its own models or settings registers a policy instance in its
``AppConfig.ready()`` (docs/architecture.md, "How a new room adds its policy").
"""
