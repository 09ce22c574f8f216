using Desk.Domain;
using Desk.Domain.Remedies;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static Desk.Domain.Tickets.TicketState;
using static Desk.Domain.Tickets.TicketTrigger;

namespace Desk.Tests.Workflow;

public sealed class TicketWorkflowTests
{
    /// <summary>
    /// The workflow of DOMAIN.md, stated here independently of Ticket.Workflow.cs: every permitted
    /// (state, step) and where it leads. Everything not listed must be refused.
    /// </summary>
    private static readonly Dictionary<(TicketState, TicketTrigger), TicketState> Permitted = new()
    {
        [(New, Acknowledge)] = Acknowledged,
        [(New, Assess)] = New,
        [(New, Reject)] = Rejected,
        [(New, Merge)] = Rejected,
        [(Acknowledged, Assess)] = Acknowledged,
        [(Acknowledged, Assign)] = InProgress,
        [(Acknowledged, Escalate)] = Escalated,
        [(Acknowledged, Reject)] = Rejected,
        [(Acknowledged, Merge)] = Rejected,
        [(InProgress, Assess)] = InProgress,
        [(InProgress, Assign)] = InProgress,
        [(InProgress, RequestInfo)] = AwaitingCustomer,
        [(InProgress, Escalate)] = Escalated,
        [(InProgress, Resolve)] = Resolved,
        [(InProgress, Merge)] = Rejected,
        [(AwaitingCustomer, Assign)] = AwaitingCustomer,
        [(AwaitingCustomer, CustomerReplied)] = InProgress,
        [(AwaitingCustomer, Escalate)] = Escalated,
        [(AwaitingCustomer, Resolve)] = Resolved,
        [(AwaitingCustomer, Merge)] = Rejected,
        [(Escalated, Assess)] = Escalated,
        [(Escalated, Assign)] = InProgress,
        [(Escalated, Resolve)] = Resolved,
        [(Resolved, StartFollowUp)] = FollowUp,
        [(Resolved, Reopen)] = InProgress,
        [(FollowUp, Close)] = Closed,
        [(FollowUp, Reopen)] = InProgress,
        [(Closed, Reopen)] = InProgress,
        [(Rejected, Reopen)] = InProgress, // a spam rejection; a merged ticket stays closed (see the guard tests)
    };

    public static TheoryData<TicketState, TicketTrigger> Matrix()
    {
        var data = new TheoryData<TicketState, TicketTrigger>();
        foreach (var state in Enum.GetValues<TicketState>())
            foreach (var trigger in Enum.GetValues<TicketTrigger>())
                data.Add(state, trigger);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Step_FromEveryState_IsTakenAsTheWorkflowSaysOrRefusedChangingNothing(TicketState state, TicketTrigger trigger)
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(state, clock);
        Assert.Equal(state, ticket.State);
        clock.Advance(TimeSpan.FromMinutes(5));
        var now = TicketInState.Now(clock);
        var before = TicketInState.Snapshot(ticket);
        var (version, audits) = (ticket.Version, ticket.AuditTrail.Count);

        if (Permitted.TryGetValue((state, trigger), out var expected))
        {
            var at = Take(ticket, trigger, now);
            Assert.Equal(expected, ticket.State);
            Assert.Equal(audits + 1, ticket.AuditTrail.Count);
            var entry = ticket.AuditTrail[^1];
            Assert.Equal(("agent", at, (TicketState?)state, (TicketTrigger?)trigger, expected),
                (entry.Actor, entry.At, entry.FromState, entry.Trigger, entry.ToState));
            Assert.Equal(version + 1, ticket.Version);
            Assert.Equal(at, ticket.UpdatedAt);
        }
        else
        {
            var refused = Assert.Throws<DomainException>(() => Take(ticket, trigger, now));
            Assert.Contains(ticket.Number, refused.Message);
            Assert.Contains(state.ToString(), refused.Message);
            Assert.Equal(before, TicketInState.Snapshot(ticket));
        }
    }

    [Theory]
    [MemberData(nameof(States))]
    public void AvailableSteps_InEveryState_AreExactlyThePermittedOnes(TicketState state)
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(state, clock);
        var afterFollowUpWindow = TicketInState.Now(clock) + TicketInState.FollowUpWindow + TimeSpan.FromDays(1);
        var expected = Permitted.Keys.Where(k => k.Item1 == state).Select(k => k.Item2).Order().ToList();
        Assert.Equal(expected, ticket.AvailableSteps(afterFollowUpWindow).Order().ToList());
    }

    public static TheoryData<TicketState> States() => new(Enum.GetValues<TicketState>());

    [Fact]
    public void WorkflowTransitions_ReadFromTheMachine_AreExactlyThePermittedSteps()
    {
        var fromMachine = Ticket.WorkflowTransitions().Select(t => (t.From, t.Trigger, t.To)).Order().ToList();
        var stated = Permitted.Select(p => (p.Key.Item1, p.Key.Item2, p.Value)).Order().ToList();
        Assert.Equal(stated, fromMachine);
        Assert.Contains(Ticket.WorkflowTransitions(), t => t.Trigger == Resolve && t.Guard!.Contains("root cause"));
    }

    [Fact]
    public void AvailableSteps_FollowUpBeforeWindowWithoutOutcome_LeaveOutClose()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(FollowUp, clock);
        Assert.DoesNotContain(Close, ticket.AvailableSteps(TicketInState.Now(clock)));
        ticket.RecordFollowUpOutcome("desk", TicketInState.Now(clock), customerAccepted: false, "Wants a refund instead");
        Assert.Contains(Close, ticket.AvailableSteps(TicketInState.Now(clock)));
    }

    /// <summary>Takes <paramref name="trigger"/> with valid arguments as "agent"; returns the time the step is stamped with.</summary>
    private static DateTime Take(Ticket ticket, TicketTrigger trigger, DateTime now)
    {
        switch (trigger)
        {
            case Acknowledge: ticket.Acknowledge("agent", now); break;
            case Assess: ticket.Assess("agent", now, Severity.Major, Impact.High, safetyRisk: false, SlaPolicy.Default); break;
            case Assign: ticket.Assign("agent", now, "carmen"); break;
            case RequestInfo: ticket.RequestInfo("agent", now, "Which address was it sent to?"); break;
            case CustomerReplied: ticket.CustomerReplied("agent", now, "To my office."); break;
            case Escalate: ticket.Escalate("agent", now, "Customer threatens to go public"); break;
            case Resolve: ticket.Resolve("agent", now, new Resolution(RemedyKinds.Refund, 30m, TicketInState.RootCauseId)); break;
            case StartFollowUp: ticket.StartFollowUp("agent", now, TicketInState.FollowUpWindow); break;
            case Close:
                // Past the follow-up window, so the guard holds wherever Close is permitted at all.
                now += TicketInState.FollowUpWindow + TimeSpan.FromDays(1);
                ticket.Close("agent", now);
                break;
            case Reopen: ticket.Reopen("agent", now, "Still leaking"); break;
            case Reject: ticket.Reject("agent", now, RejectionReason.Spam); break;
            case Merge: ticket.MergeInto("agent", now, 999); break;
            default: throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "add the new trigger to this test");
        }
        return now;
    }
}
