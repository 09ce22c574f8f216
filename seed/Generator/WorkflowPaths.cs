using System.Reflection;
using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;

namespace Desk.Seed;

/// <summary>The kind of time a step happens at, so the generator can date it plausibly.</summary>
internal enum StepPhase { Intake, Work, Resolve, AfterCare, Reopen }

internal sealed record PathStep(TicketState From, TicketTrigger Trigger, TicketState To, StepPhase Phase);

/// <summary>
/// The routes a demo ticket takes through the workflow. Each is walked once through a real
/// <see cref="Ticket"/> (its intent methods, its state machine) and the audit lines it writes are reused
/// as the template for every generated ticket on that route, so demo audit trails obey the real workflow
/// at the cost of one walk per route instead of one per ticket.
/// </summary>
internal static class WorkflowPaths
{
    private static readonly DateTime Origin = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // Route names → the intent-method calls that walk them.
    private static readonly (string Name, Action<Ticket, Func<DateTime>>[] Steps)[] Routes =
    [
        ("new", []),
        ("acknowledged", [Ack]),
        ("acknowledged-assessed", [Ack, Assess]),
        ("in-progress", [Ack, Assess, Assign]),
        ("in-progress-after-info", [Ack, Assign, RequestInfo, Replied]),
        ("awaiting-customer", [Ack, Assign, RequestInfo]),
        ("escalated", [Ack, Assign, Escalate]),
        ("escalated-early", [Ack, Escalate]),
        ("resolved", [Ack, Assign, Resolve]),
        ("resolved-after-info", [Ack, Assess, Assign, RequestInfo, Replied, Resolve]),
        ("resolved-after-escalation", [Ack, Assign, Escalate, Assign, Resolve]),
        ("follow-up", [Ack, Assign, Resolve, FollowUp]),
        ("follow-up-after-info", [Ack, Assign, RequestInfo, Replied, Resolve, FollowUp]),
        ("closed", [Ack, Assign, Resolve, FollowUp, Close]),
        ("closed-assessed", [Ack, Assess, Assign, Resolve, FollowUp, Close]),
        ("closed-after-info", [Ack, Assign, RequestInfo, Replied, Resolve, FollowUp, Close]),
        ("closed-after-escalation", [Ack, Assign, Escalate, Assign, Resolve, FollowUp, Close]),
        ("closed-after-reopen", [Ack, Assign, Resolve, FollowUp, Reopen, Resolve, FollowUp, Close]),
        ("rejected-spam", [Reject]),
        ("rejected-after-ack", [Ack, Reject]),
        ("merged", [Ack, Merge]),
    ];

    public static IReadOnlyDictionary<string, PathStep[]> All { get; } = Walk();

    public static IEnumerable<string> EndingIn(TicketState state) => All.Where(p => End(p.Value) == state).Select(p => p.Key);

    public static TicketState End(PathStep[] steps) => steps.Length == 0 ? TicketState.New : steps[^1].To;

    private static Dictionary<string, PathStep[]> Walk()
    {
        var customer = new Customer("route@example.com", "Route", Origin);
        typeof(Customer).GetProperty(nameof(Customer.Id))!.SetValue(customer, 1L); // stands in for the database
        var paths = new Dictionary<string, PathStep[]>();
        foreach (var (name, steps) in Routes)
        {
            var clock = Origin;
            DateTime Next() => clock = clock.AddMinutes(1);
            var ticket = Ticket.Receive(
                new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor, "Route", "Route"),
                customer, SlaPolicy.Default, RepeatComplaintPolicy.Default, null, Origin);
            foreach (var step in steps) step(ticket, Next);
            paths[name] = [.. ticket.AuditTrail.Skip(1).Select(a => new PathStep(a.FromState!.Value, a.Trigger!.Value, a.ToState, PhaseOf(a)))];
        }
        return paths;
    }

    private static StepPhase PhaseOf(AuditEntry entry) => entry.Trigger switch
    {
        TicketTrigger.Acknowledge or TicketTrigger.Reject or TicketTrigger.Merge => StepPhase.Intake,
        TicketTrigger.Assess when entry.FromState is TicketState.New or TicketState.Acknowledged => StepPhase.Intake,
        TicketTrigger.Resolve => StepPhase.Resolve,
        TicketTrigger.StartFollowUp or TicketTrigger.Close => StepPhase.AfterCare,
        TicketTrigger.Reopen => StepPhase.Reopen,
        _ => StepPhase.Work,
    };

    private static void Ack(Ticket t, Func<DateTime> now) => t.Acknowledge("desk", now());
    private static void Assess(Ticket t, Func<DateTime> now) => t.Assess("agent", now(), Severity.Minor, Impact.Medium, false, SlaPolicy.Default);
    private static void Assign(Ticket t, Func<DateTime> now) => t.Assign("agent", now(), "agent");
    private static void RequestInfo(Ticket t, Func<DateTime> now) => t.RequestInfo("agent", now(), "Question");
    private static void Replied(Ticket t, Func<DateTime> now) => t.CustomerReplied("route@example.com", now(), "Answer");
    private static void Escalate(Ticket t, Func<DateTime> now) => t.Escalate("agent", now(), "Reason");
    private static void Resolve(Ticket t, Func<DateTime> now) => t.Resolve("agent", now(), new Resolution(Desk.Domain.Remedies.RemedyKinds.Refund, 1m, 11));
    private static void FollowUp(Ticket t, Func<DateTime> now) => t.StartFollowUp("desk", now(), TimeSpan.FromMinutes(1));
    private static void Close(Ticket t, Func<DateTime> now) => t.Close("desk", now().AddMinutes(5));
    private static void Reopen(Ticket t, Func<DateTime> now) => t.Reopen("route@example.com", now(), "Still broken");
    private static void Reject(Ticket t, Func<DateTime> now) => t.Reject("agent", now(), RejectionReason.Spam);
    private static void Merge(Ticket t, Func<DateTime> now) => t.MergeInto("agent", now(), 2);
}
