using Stateless;
using Stateless.Graph;

namespace Desk.Domain.Tickets;

public sealed partial class Ticket
{
    private StateMachine<TicketState, TicketTrigger>? _machine;
    private StateMachine<TicketState, TicketTrigger>.TriggerWithParameters<Resolution>? _resolveTrigger;
    private StateMachine<TicketState, TicketTrigger>.TriggerWithParameters<DateTime>? _closeTrigger;

    // Built on first use: a ticket loaded for display never pays for its machine.
    private StateMachine<TicketState, TicketTrigger> Machine => _machine ??= BuildMachine();

    private StateMachine<TicketState, TicketTrigger>.TriggerWithParameters<Resolution> ResolveTrigger
    {
        get { _ = Machine; return _resolveTrigger!; }
    }

    private StateMachine<TicketState, TicketTrigger>.TriggerWithParameters<DateTime> CloseTrigger
    {
        get { _ = Machine; return _closeTrigger!; }
    }

    /// <summary>
    /// The steps a person may take now, for the UI to offer. Resolve is offered where the state allows it,
    /// on the understanding that its form asks for the remedy and the root cause its guard requires.
    /// </summary>
    public IReadOnlyList<TicketTrigger> AvailableSteps(DateTime now) =>
        Enum.GetValues<TicketTrigger>().Where(t => CanTake(t, now)).ToList();

    /// <summary>Whether <paramref name="trigger"/> is permitted now (see <see cref="AvailableSteps"/>).</summary>
    public bool CanTake(TicketTrigger trigger, DateTime now) => trigger switch
    {
        TicketTrigger.Resolve => Machine.CanFire(ResolveTrigger, Resolution.AnyComplete),
        TicketTrigger.Close => Machine.CanFire(CloseTrigger, now),
        _ => Machine.CanFire(trigger),
    };

    /// <summary>The workflow as a Mermaid state diagram, generated from the machine itself.</summary>
    public static string WorkflowDiagram()
    {
        var ticket = new Ticket { State = TicketState.New };
        return MermaidGraph.Format(ticket.Machine.GetInfo());
    }

    /// <summary>Every transition of the workflow, read from the machine, with the guard's words where there is one.</summary>
    public static IReadOnlyList<WorkflowTransition> WorkflowTransitions()
    {
        var ticket = new Ticket { State = TicketState.New };
        return
        [
            .. from state in ticket.Machine.GetInfo().States
               from transition in state.FixedTransitions
               select new WorkflowTransition(
                   (TicketState)state.UnderlyingState,
                   (TicketTrigger)transition.Trigger.UnderlyingTrigger,
                   (TicketState)transition.DestinationState.UnderlyingState,
                   transition.GuardConditionsMethodDescriptions.Select(g => g.Description).FirstOrDefault()),
        ];
    }

    // The single place the workflow rules live: every transition of DOMAIN.md, declared once.
    private StateMachine<TicketState, TicketTrigger> BuildMachine()
    {
        var machine = new StateMachine<TicketState, TicketTrigger>(() => State, s => State = s);
        _resolveTrigger = machine.SetTriggerParameters<Resolution>(TicketTrigger.Resolve);
        _closeTrigger = machine.SetTriggerParameters<DateTime>(TicketTrigger.Close);

        machine.Configure(TicketState.New)
            .Permit(TicketTrigger.Acknowledge, TicketState.Acknowledged)
            .PermitReentry(TicketTrigger.Assess)
            .Permit(TicketTrigger.Reject, TicketState.Rejected)
            .Permit(TicketTrigger.Merge, TicketState.Rejected);

        machine.Configure(TicketState.Acknowledged)
            .PermitReentry(TicketTrigger.Assess)
            .Permit(TicketTrigger.Assign, TicketState.InProgress)
            .Permit(TicketTrigger.Escalate, TicketState.Escalated)
            .Permit(TicketTrigger.Reject, TicketState.Rejected)
            .Permit(TicketTrigger.Merge, TicketState.Rejected);

        machine.Configure(TicketState.InProgress)
            .PermitReentry(TicketTrigger.Assess)
            .PermitReentry(TicketTrigger.Assign)
            .Permit(TicketTrigger.RequestInfo, TicketState.AwaitingCustomer)
            .Permit(TicketTrigger.Escalate, TicketState.Escalated)
            .PermitIf(_resolveTrigger, TicketState.Resolved, r => r?.IsComplete == true, Resolution.GuardDescription)
            .Permit(TicketTrigger.Merge, TicketState.Rejected);

        machine.Configure(TicketState.AwaitingCustomer)
            .PermitReentry(TicketTrigger.Assign)
            .Permit(TicketTrigger.CustomerReplied, TicketState.InProgress)
            .Permit(TicketTrigger.Escalate, TicketState.Escalated)
            .PermitIf(_resolveTrigger, TicketState.Resolved, r => r?.IsComplete == true, Resolution.GuardDescription)
            .Permit(TicketTrigger.Merge, TicketState.Rejected);

        machine.Configure(TicketState.Escalated)
            .PermitReentry(TicketTrigger.Assess)
            .Permit(TicketTrigger.Assign, TicketState.InProgress)
            .PermitIf(_resolveTrigger, TicketState.Resolved, r => r?.IsComplete == true, Resolution.GuardDescription);

        machine.Configure(TicketState.Resolved)
            .Permit(TicketTrigger.StartFollowUp, TicketState.FollowUp)
            .Permit(TicketTrigger.Reopen, TicketState.InProgress);

        machine.Configure(TicketState.FollowUp)
            .PermitIf(_closeTrigger, TicketState.Closed, FollowUpSettled,
                "a recorded follow-up outcome, or the follow-up window to have passed")
            .Permit(TicketTrigger.Reopen, TicketState.InProgress);

        machine.Configure(TicketState.Closed)
            .Permit(TicketTrigger.Reopen, TicketState.InProgress);

        machine.Configure(TicketState.Rejected)
            .PermitIf(TicketTrigger.Reopen, TicketState.InProgress, () => MergedIntoTicketId is null,
                "the ticket not to have been merged into another (continue there)");

        machine.OnUnhandledTrigger((state, trigger, unmetGuards) =>
            throw (unmetGuards is { Count: > 0 }
                ? new DomainException("Ticket {0} cannot {1}: that needs {2}.", Number, Describe(trigger), unmetGuards.ToList())
                : new DomainException("Ticket {0} is {1}: it cannot {2} now.", Number, state, Describe(trigger))));
        return machine;
    }

    private bool FollowUpSettled(DateTime now) =>
        FollowUpRecordedAt is not null || (FollowUpDueAt is { } due && now >= due);

    private static Phrase Describe(TicketTrigger trigger) => new(trigger switch
    {
        TicketTrigger.Acknowledge => "be acknowledged",
        TicketTrigger.Assess => "be assessed",
        TicketTrigger.Assign => "be assigned",
        TicketTrigger.RequestInfo => "ask the customer for information",
        TicketTrigger.CustomerReplied => "take a customer's reply as an answer",
        TicketTrigger.Escalate => "be escalated",
        TicketTrigger.Resolve => "be resolved",
        TicketTrigger.StartFollowUp => "enter follow-up",
        TicketTrigger.Close => "be closed",
        TicketTrigger.Reopen => "be reopened",
        TicketTrigger.Reject => "be rejected",
        TicketTrigger.Merge => "be merged",
        _ => trigger.ToString(),
    });
}

/// <summary>One arrow of the workflow diagram.</summary>
public sealed record WorkflowTransition(TicketState From, TicketTrigger Trigger, TicketState To, string? Guard);
