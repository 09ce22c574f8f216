using Desk.Domain.Customers;
using Desk.Domain.Sla;

namespace Desk.Domain.Tickets;

/// <summary>
/// One complaint or piece of feedback from one customer, from receipt to closing.
/// </summary>
/// <remarks>
/// The workflow rules live in one place, the Stateless machine of <c>Ticket.Workflow.cs</c>,
/// built over the persisted <see cref="State"/>. Every intent method validates its arguments,
/// fires its trigger (an illegal step throws <see cref="DomainException"/> before anything
/// changes), appends one <see cref="AuditEntry"/>, then sets its fields and bumps
/// <see cref="Version"/> (the concurrency token). Time is always passed in; the domain never
/// reads the clock. Nothing here does I/O: mail goes out through the application's outbox.
/// </remarks>
public sealed partial class Ticket
{
    private readonly List<ConversationEntry> _conversation = [];
    private readonly List<AuditEntry> _auditTrail = [];

    private Ticket() { } // for EF Core

    public long Id { get; private set; }

    /// <summary>The human-readable number customers quote, e.g. <c>D-000123</c>; derived from the id, so it never changes.</summary>
    public string Number => TicketNumber.Format(Id);

    /// <summary>Bumped by every change; EF Core refuses a save whose version moved underneath it.</summary>
    public int Version { get; private set; }

    public TicketState State { get; private set; }
    public TicketKind Kind { get; private set; }
    public Channel Channel { get; private set; }
    public Severity Severity { get; private set; }
    public Impact Impact { get; private set; }
    public bool SafetyRisk { get; private set; }

    public long CustomerId { get; private set; }
    /// <summary>The customer's relationship level when the ticket arrived; the SLA and follow-up plan follow it.</summary>
    public RelationshipLevel CustomerLevel { get; private set; }
    /// <summary>Set when the same customer complained within the repeat window: a second failure is the dangerous one.</summary>
    public bool IsRepeatComplaint { get; private set; }

    /// <summary>
    /// Filed on the web form under an address the desk already knew, by someone who has not shown that the address is
    /// theirs: kept apart from that customer's history (never a repeat, and no earlier complaint's repeat either) until
    /// the address's owner follows the link mailed to it (<see cref="ConfirmContact"/>).
    /// </summary>
    public bool ContactUnverified { get; private set; }

    public string Subject { get; private set; } = "";
    public string Description { get; private set; } = "";
    /// <summary>The remedy kind the customer asked for at receipt (ISO 10002 7.2); see <see cref="Remedies.RemedyKinds"/>.</summary>
    public int? RemedySoughtId { get; private set; }
    public string? OrderReference { get; private set; }
    public string? Product { get; private set; }

    public string? AssignedTo { get; private set; }
    public string? EscalationReason { get; private set; }
    /// <summary>Whom the last escalation went to (an agent's user name or a team's name, see <see cref="EscalatedToKind"/>); null when it named nobody.</summary>
    public string? EscalatedTo { get; private set; }
    public EscalationTargetKind? EscalatedToKind { get; private set; }

    /// <summary>Whom the last escalation went to, or null.</summary>
    public EscalationTarget? EscalationTarget => EscalatedTo is null || EscalatedToKind is not { } kind ? null
        : kind == EscalationTargetKind.Team ? Tickets.EscalationTarget.Team(EscalatedTo) : Tickets.EscalationTarget.Agent(EscalatedTo);

    public DateTime ReceivedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    /// <summary>When the customer last wrote: at receipt, then at each message of theirs (the queue's "customer replied" mark).</summary>
    public DateTime? CustomerWroteAt { get; private set; }
    public DateTime? AcknowledgedAt { get; private set; }
    public DateTime? FirstRespondedAt { get; private set; }
    public DateTime FirstResponseDueAt { get; private set; }
    public DateTime ResolutionDueAt { get; private set; }
    public DateTime? ResolvedAt { get; private set; }
    public DateTime? FollowUpDueAt { get; private set; }
    public DateTime? FollowUpRecordedAt { get; private set; }
    public DateTime? ClosedAt { get; private set; }

    /// <summary>The remedy kind given at resolution; see <see cref="Remedies.RemedyKinds"/>.</summary>
    public int? RemedyGivenId { get; private set; }
    public decimal? RemedyCost { get; private set; }
    public int? RootCauseId { get; private set; }
    public string? RootCauseNote { get; private set; }
    /// <summary>The decision as communicated to the customer (ISO 10002 7.8).</summary>
    public string? Decision { get; private set; }
    /// <summary>Whether the customer accepted the decision (7.9); null while unknown or when they never answered.</summary>
    public bool? CustomerAccepted { get; private set; }
    public string? FollowUpNote { get; private set; }

    public RejectionReason? RejectionReason { get; private set; }
    public long? MergedIntoTicketId { get; private set; }
    public int ReopenCount { get; private set; }
    /// <summary>The earlier ticket this one continues: the customer wrote again after it was closed for good.</summary>
    public long? FollowsTicketId { get; private set; }

    public IReadOnlyList<ConversationEntry> Conversation => _conversation;
    public IReadOnlyList<AuditEntry> AuditTrail => _auditTrail;

    /// <summary>True once resolved within its resolution target; false if late; null while unresolved.</summary>
    public bool? ResolvedWithinTarget => ResolvedAt is { } at ? at <= ResolutionDueAt : null;

    /// <summary>
    /// Receipt (ISO 10002 7.2): the facts, the remedy sought, SLA due times from <paramref name="sla"/>,
    /// and the repeat-complaint flag from the customer's previous complaint.
    /// </summary>
    /// <param name="previousComplaintAt">When this customer last complained, or null; the application looks it up.</param>
    public static Ticket Receive(
        TicketIntake intake, Customer customer, SlaPolicy sla, RepeatComplaintPolicy repeats,
        DateTime? previousComplaintAt, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(intake);
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(sla);
        ArgumentNullException.ThrowIfNull(repeats);
        if (customer.Id <= 0)
            throw new DomainException("The customer must be saved before a ticket can be opened for them.");
        var subject = Require(intake.Subject is null ? null : OneLine.Of(intake.Subject), "A subject", 300);
        // As long as one customer message may be: a mail's text is both (the web form keeps its own, smaller limit).
        var description = Require(intake.Description, "A description of what happened", 1_000_000);

        var due = sla.DueTimes(intake.Severity, customer.Level, now);
        var ticket = new Ticket
        {
            State = TicketState.New,
            Kind = intake.Kind,
            Channel = intake.Channel,
            Severity = intake.Severity,
            Impact = Impact.Low,
            CustomerId = customer.Id,
            CustomerLevel = customer.Level,
            IsRepeatComplaint = intake.Kind == TicketKind.Complaint && !intake.UnverifiedContact && repeats.IsRepeat(previousComplaintAt, now),
            ContactUnverified = intake.UnverifiedContact,
            Subject = subject,
            Description = description,
            RemedySoughtId = intake.RemedySoughtId,
            OrderReference = Optional(intake.OrderReference, 100),
            Product = Optional(intake.Product, 200),
            FollowsTicketId = intake.FollowsTicketId,
            ReceivedAt = now,
            UpdatedAt = now,
            CustomerWroteAt = now,
            FirstResponseDueAt = due.FirstResponseDueAt,
            ResolutionDueAt = due.ResolutionDueAt,
            Version = 1,
        };
        ticket._conversation.Add(new ConversationEntry(ConversationEntryKind.Inbound, customer.Email, now, description));
        ticket._auditTrail.Add(AuditEntry.Received(customer.Email, now, intake.Channel, Optional(intake.FiledBy, 256)));
        return ticket;
    }

    /// <summary>
    /// The owner of the customer's address confirmed that they filed this ticket: it joins their history, and the repeat
    /// flag is worked out as at receipt from <paramref name="previousComplaintAt"/> (their last complaint before it).
    /// Confirming twice changes nothing.
    /// </summary>
    public void ConfirmContact(string address, DateTime now, RepeatComplaintPolicy repeats, DateTime? previousComplaintAt)
    {
        ArgumentNullException.ThrowIfNull(repeats);
        if (!ContactUnverified) return;
        ContactUnverified = false;
        IsRepeatComplaint = Kind == TicketKind.Complaint && repeats.IsRepeat(previousComplaintAt, ReceivedAt);
        RecordEvent(now, $"The owner of {address} confirmed they sent this complaint: it now counts in their history.");
    }

    /// <summary>Acknowledgement (7.4): sent at once on intake, by the desk itself.</summary>
    public void Acknowledge(string actor, DateTime now) =>
        Step(TicketTrigger.Acknowledge, actor, now, null, () => Machine.Fire(TicketTrigger.Acknowledge),
            () => AcknowledgedAt = now);

    /// <summary>Initial assessment (7.5). A change of severity moves the SLA due times, measured from receipt.</summary>
    public void Assess(string actor, DateTime now, Severity severity, Impact impact, bool safetyRisk, SlaPolicy sla)
    {
        ArgumentNullException.ThrowIfNull(sla);
        var comment = $"Severity {severity}, impact {impact}{(safetyRisk ? ", safety risk" : "")}";
        Step(TicketTrigger.Assess, actor, now, comment, () => Machine.Fire(TicketTrigger.Assess), () =>
        {
            Severity = severity;
            Impact = impact;
            SafetyRisk = safetyRisk;
            var due = sla.DueTimes(severity, CustomerLevel, ReceivedAt);
            FirstResponseDueAt = due.FirstResponseDueAt;
            ResolutionDueAt = due.ResolutionDueAt;
        });
    }

    /// <summary>Gives the ticket to an agent: starts the investigation (7.6), or hands it over.</summary>
    public void Assign(string actor, DateTime now, string assignee)
    {
        var who = Require(assignee, "The agent to assign", 200);
        Step(TicketTrigger.Assign, actor, now, $"Assigned to {who}", () => Machine.Fire(TicketTrigger.Assign),
            () => AssignedTo = who);
    }

    /// <summary>Asks the customer for information; the question goes out as a reply.</summary>
    public void RequestInfo(string actor, DateTime now, string question)
    {
        var text = Require(question, "The question for the customer", 100_000);
        Step(TicketTrigger.RequestInfo, actor, now, null, () => Machine.Fire(TicketTrigger.RequestInfo), () =>
        {
            _conversation.Add(new ConversationEntry(ConversationEntryKind.Outbound, actor, now, text));
            FirstRespondedAt ??= now;
        });
    }

    /// <summary>The customer answered a request for information: work resumes.</summary>
    public void CustomerReplied(string from, DateTime now, string body)
    {
        var text = Require(body, "The customer's message", 1_000_000);
        Step(TicketTrigger.CustomerReplied, from, now, null, () => Machine.Fire(TicketTrigger.CustomerReplied),
            () =>
            {
                _conversation.Add(new ConversationEntry(ConversationEntryKind.Inbound, from, now, text));
                CustomerWroteAt = now;
            });
    }

    /// <summary>
    /// Escalation (7.7): the ticket is stuck or too serious for the first line. With <paramref name="to"/> it goes to that
    /// agent or team, and the audit entry says so ("To team Billing: reason"); without, to nobody in particular.
    /// </summary>
    public void Escalate(string actor, DateTime now, string reason, EscalationTarget? to = null)
    {
        var why = Require(reason, "A reason for the escalation", 2_000);
        var comment = to is null ? why : $"To {to}: {why}";
        if (comment.Length > 2_000) comment = comment[..2_000];
        Step(TicketTrigger.Escalate, actor, now, comment, () => Machine.Fire(TicketTrigger.Escalate), () =>
        {
            EscalationReason = why;
            EscalatedTo = to?.Name;
            EscalatedToKind = to?.Kind;
        });
    }

    /// <summary>
    /// The decision (7.7, 7.8): the remedy given with its cost and the root cause are required (a guard);
    /// the decision text, when given, goes to the customer.
    /// </summary>
    public void Resolve(string actor, DateTime now, Resolution resolution)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        // Where resolving is possible at all, say exactly what is missing; the guard in the machine stays the rule.
        if (!resolution.IsComplete && Machine.CanFire(ResolveTrigger, Resolution.AnyComplete))
            throw new DomainException("Ticket {0} cannot be resolved: it still needs {1}.", Number, resolution.Missing());
        if (resolution.RemedyCost > Money.MaxAmount)
            throw new DomainException("Ticket {0} cannot be resolved: a remedy cost is at most {1}.", Number, Money.MaxAmount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        var decision = Optional(resolution.Decision, 100_000);
        var note = Optional(resolution.RootCauseNote, 2_000);
        Step(TicketTrigger.Resolve, actor, now, resolution.Summary(), () => Machine.Fire(ResolveTrigger, resolution), () =>
        {
            RemedyGivenId = resolution.RemedyKindId;
            RemedyCost = resolution.RemedyCost is { } cost ? decimal.Round(cost, 2, MidpointRounding.AwayFromZero) : null;
            RootCauseId = resolution.RootCauseId;
            RootCauseNote = note;
            Decision = decision;
            ResolvedAt = now;
            if (decision is not null)
            {
                _conversation.Add(new ConversationEntry(ConversationEntryKind.Outbound, actor, now, decision));
                FirstRespondedAt ??= now;
            }
        });
    }

    /// <summary>Starts after-care: the follow-up window during which the customer is surveyed and checked on.</summary>
    public void StartFollowUp(string actor, DateTime now, TimeSpan window)
    {
        if (window <= TimeSpan.Zero)
            throw new DomainException("The follow-up window must be longer than zero.");
        Step(TicketTrigger.StartFollowUp, actor, now, $"Follow-up window {window.TotalDays:0.#} days",
            () => Machine.Fire(TicketTrigger.StartFollowUp), () => FollowUpDueAt = now + window);
    }

    /// <summary>Records what follow-up learned (7.9): whether the customer accepts the decision.</summary>
    public void RecordFollowUpOutcome(string actor, DateTime now, bool customerAccepted, string? note)
    {
        if (State != TicketState.FollowUp)
            throw new DomainException("A follow-up outcome can only be recorded during follow-up; ticket {0} is {1}.", Number, State);
        var text = Optional(note, 10_000);
        CustomerAccepted = customerAccepted;
        FollowUpNote = text;
        FollowUpRecordedAt = now;
        _conversation.Add(new ConversationEntry(ConversationEntryKind.SystemEvent, actor, now,
            (customerAccepted ? "Customer accepts the decision." : "Customer does not accept the decision.")
            + (text is null ? "" : " " + text)));
        Touch(now);
    }

    /// <summary>Closing (7.9): needs a recorded follow-up outcome, or the follow-up window to have passed (a guard).</summary>
    public void Close(string actor, DateTime now, string? comment = null) =>
        Step(TicketTrigger.Close, actor, now, Optional(comment, 2_000), () => Machine.Fire(CloseTrigger, now),
            () => ClosedAt = now);

    /// <summary>The customer is unhappy, or wrote again: back to work. Clears the previous decision (kept in the audit trail).</summary>
    public void Reopen(string actor, DateTime now, string reason)
    {
        var why = Require(reason, "A reason for reopening", 2_000);
        Step(TicketTrigger.Reopen, actor, now, why, () => Machine.Fire(TicketTrigger.Reopen), () =>
        {
            ReopenCount++;
            ResolvedAt = null;
            RemedyGivenId = null;
            RemedyCost = null;
            RootCauseId = null;
            RootCauseNote = null;
            Decision = null;
            FollowUpDueAt = null;
            FollowUpRecordedAt = null;
            CustomerAccepted = null;
            FollowUpNote = null;
            ClosedAt = null;
            RejectionReason = null;
        });
    }

    /// <summary>Rejects spam or something that is not a complaint. Duplicates are merged instead (<see cref="MergeInto"/>).</summary>
    public void Reject(string actor, DateTime now, RejectionReason reason, string? comment = null)
    {
        if (reason == Tickets.RejectionReason.Duplicate)
            throw new DomainException("A duplicate is merged into the ticket it repeats, not rejected.");
        Step(TicketTrigger.Reject, actor, now, Optional(comment, 2_000) ?? reason.ToString(),
            () => Machine.Fire(TicketTrigger.Reject), () => RejectionReason = reason);
    }

    /// <summary>Marks this ticket a duplicate of <paramref name="targetTicketId"/>; the conversation continues there.</summary>
    public void MergeInto(string actor, DateTime now, long targetTicketId)
    {
        if (targetTicketId <= 0 || targetTicketId == Id)
            throw new DomainException("A ticket can only be merged into another, existing ticket.");
        Step(TicketTrigger.Merge, actor, now, $"Merged into {TicketNumber.Format(targetTicketId)}",
            () => Machine.Fire(TicketTrigger.Merge), () =>
            {
                RejectionReason = Tickets.RejectionReason.Duplicate;
                MergedIntoTicketId = targetTicketId;
            });
    }

    /// <summary>Adds a customer message without a workflow step (e.g. more detail while the ticket is being worked).</summary>
    public void AddCustomerMessage(string from, DateTime now, string body)
    {
        if (State is TicketState.Closed or TicketState.Rejected)
            throw new DomainException("Ticket {0} is {1}; reopen it before adding the customer's message.", Number, State);
        var text = Require(body, "The customer's message", 1_000_000);
        _conversation.Add(new ConversationEntry(ConversationEntryKind.Inbound, from, now, text));
        CustomerWroteAt = now;
        Touch(now);
    }

    /// <summary>
    /// The customer wrote again (by mail, on the status page, or with a low survey score). Waiting for them: work resumes.
    /// Resolved, in follow-up, or closed no longer than <paramref name="reopenWindow"/> ago: reopened (for
    /// <paramref name="reopenReason"/>) with the message. Open: the message is added. False, changing nothing, when the
    /// ticket was closed longer ago or rejected: the message belongs in a new ticket that follows this one. A null
    /// <paramref name="body"/> (a low score without a comment) takes the same step and adds no message.
    /// </summary>
    public bool TakeCustomerMessage(string from, DateTime now, string? body, TimeSpan reopenWindow, string reopenReason = "The customer wrote again")
    {
        if (!TakesCustomerMessages(now, reopenWindow)) return false;
        var text = body is null ? null : Require(body, "The customer's message", 1_000_000); // checked before anything changes
        switch (State)
        {
            case TicketState.AwaitingCustomer when text is not null:
                CustomerReplied(from, now, text);
                return true;
            case TicketState.Resolved or TicketState.FollowUp or TicketState.Closed:
                Reopen(from, now, reopenReason);
                break;
        }
        if (text is not null) AddCustomerMessage(from, now, text);
        return true;
    }

    /// <summary>
    /// Whether a customer's new message lands in this ticket (see <see cref="TakeCustomerMessage"/>): not when it is
    /// rejected or was closed longer than <paramref name="reopenWindow"/> ago.
    /// </summary>
    public bool TakesCustomerMessages(DateTime now, TimeSpan reopenWindow) => State switch
    {
        TicketState.Rejected => false,
        TicketState.Closed => ClosedAt is { } closedAt && now - closedAt <= reopenWindow,
        _ => true,
    };

    /// <summary>Something the desk noticed about the ticket (e.g. a mail to the customer bounced), shown to agents only.</summary>
    public void RecordEvent(DateTime now, string text)
    {
        _conversation.Add(new ConversationEntry(ConversationEntryKind.SystemEvent, "desk", now, Require(text, "The event", 10_000)));
        Touch(now);
    }

    /// <summary>An agent's reply to the customer; the first one stops the first-response clock.</summary>
    public void Reply(string actor, DateTime now, string body)
    {
        if (State is TicketState.New or TicketState.Closed or TicketState.Rejected)
            throw new DomainException("Ticket {0} is {1}: a reply is not possible now.", Number, State);
        var text = Require(body, "The reply", 1_000_000);
        _conversation.Add(new ConversationEntry(ConversationEntryKind.Outbound, actor, now, text));
        FirstRespondedAt ??= now;
        Touch(now);
    }

    /// <summary>A note between agents, never shown to the customer. Allowed in every state.</summary>
    public void AddInternalNote(string actor, DateTime now, string body)
    {
        var text = Require(body, "The note", 100_000);
        _conversation.Add(new ConversationEntry(ConversationEntryKind.InternalNote, actor, now, text));
        Touch(now);
    }

    /// <summary>What stands where personal data was removed.</summary>
    public const string Removed = "(removed)";

    /// <summary>Who stands where the customer's address was.</summary>
    public const string CustomerPlaceholder = "customer";

    /// <summary>When the customer's words and details were removed from this ticket (erasure or retention); null while they are held.</summary>
    public DateTime? PersonalDataRemovedAt { get; private set; }

    /// <summary>
    /// Removes what the customer said and what identifies them — the subject, the description, the order reference,
    /// every message's text, the notes and reasons people typed, the customer's address in the trail — and keeps what
    /// the reports count: the state, the times, the severity, the remedy, its cost and the root cause, the product, who
    /// worked it. Allowed in every state; no workflow step (the trail records none: the erasure is recorded by the
    /// desk's own privacy trail). Doing it twice changes nothing.
    /// </summary>
    public void RemovePersonalData(string customerEmail, DateTime now)
    {
        if (PersonalDataRemovedAt is not null) return;
        Subject = Removed;
        Description = Removed;
        OrderReference = null;
        EscalationReason = EscalationReason is null ? null : Removed;
        RootCauseNote = RootCauseNote is null ? null : Removed;
        Decision = Decision is null ? null : Removed;
        FollowUpNote = FollowUpNote is null ? null : Removed;
        foreach (var entry in _conversation) entry.RemovePersonalData();
        foreach (var entry in _auditTrail) entry.RemovePersonalData(customerEmail);
        PersonalDataRemovedAt = now;
        Version++; // a concurrent edit made on the old text is refused rather than written back
    }

    private void Step(TicketTrigger trigger, string actor, DateTime now, string? comment, Action fire, Action apply)
    {
        var who = Require(actor, "Who takes the step", 200);
        var from = State;
        fire(); // throws DomainException when not permitted; nothing has changed yet
        _auditTrail.Add(new AuditEntry(who, now, from, trigger, State, comment));
        apply();
        Touch(now);
    }

    private void Touch(DateTime now)
    {
        UpdatedAt = now;
        Version++;
    }

    private static string Require(string? value, string what, int maxLength) =>
        Optional(value, maxLength) ?? throw new DomainException("{0} is required.", new Phrase(what));

    private static string? Optional(string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return null;
        return trimmed.Length <= maxLength
            ? trimmed
            : throw new DomainException("The text is too long ({0:N0} characters; at most {1:N0}).", trimmed.Length, maxLength);
    }
}
