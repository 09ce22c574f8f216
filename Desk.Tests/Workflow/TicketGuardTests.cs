using Desk.Domain;
using Desk.Domain.Remedies;
using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;

namespace Desk.Tests.Workflow;

public sealed class TicketGuardTests
{
    public static TheoryData<string, Resolution, string> IncompleteResolutions() => new()
    {
        { "no remedy", new Resolution(null, 10m, 51), "a remedy given" },
        { "no cost", new Resolution(RemedyKinds.Refund, null, 51), "its cost" },
        { "negative cost", new Resolution(RemedyKinds.Refund, -1m, 51), "its cost" },
        { "no root cause", new Resolution(RemedyKinds.Refund, 10m, null), "a root cause" },
        { "root cause zero", new Resolution(RemedyKinds.Refund, 10m, 0), "a root cause" },
    };

    [Theory]
    [MemberData(nameof(IncompleteResolutions))]
    public void Resolve_IncompleteResolution_IsRefusedNamingWhatIsMissingAndChangesNothing(string _, Resolution resolution, string named)
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.InProgress, clock);
        var before = TicketInState.Snapshot(ticket);

        var refused = Assert.Throws<DomainException>(() => ticket.Resolve("bob", TicketInState.Now(clock), resolution));

        Assert.Contains("cannot be resolved", refused.Message);
        Assert.Contains(named, refused.Message);
        foreach (var other in new[] { "a remedy given", "its cost", "a root cause" }.Where(o => o != named))
            Assert.DoesNotContain(other, refused.Message); // only what is missing is named
        Assert.Equal(before, TicketInState.Snapshot(ticket));
    }

    [Fact]
    public void Resolve_ZeroCost_IsAccepted()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.InProgress, clock);
        ticket.Resolve("bob", TicketInState.Now(clock), new Resolution(RemedyKinds.ApologyAndExplanation, 0m, 51));
        Assert.Equal((TicketState.Resolved, (decimal?)0m), (ticket.State, ticket.RemedyCost));
    }

    [Theory]
    [InlineData("50000000000000000")]
    [InlineData("79000000000000000000000000000")]
    [InlineData("1000000000.01")]
    public void Resolve_CostAboveOneBillion_IsRefusedAndChangesNothing(string cost)
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.InProgress, clock);
        var before = TicketInState.Snapshot(ticket);

        var refused = Assert.Throws<DomainException>(() => ticket.Resolve("bob", TicketInState.Now(clock),
            new Resolution(RemedyKinds.Refund, decimal.Parse(cost, System.Globalization.CultureInfo.InvariantCulture), 51)));

        Assert.Contains("a remedy cost is at most 1,000,000,000", refused.Message);
        Assert.Equal(before, TicketInState.Snapshot(ticket));
    }

    [Fact]
    public void Resolve_CostOfExactlyOneBillion_IsAccepted()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.InProgress, clock);
        ticket.Resolve("bob", TicketInState.Now(clock), new Resolution(RemedyKinds.Refund, Money.MaxAmount, 51));
        Assert.Equal((decimal?)1_000_000_000m, ticket.RemedyCost);
    }

    [Fact]
    public void Resolve_IncompleteInAStateThatCannotResolve_NamesTheStateNotTheFields()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.Acknowledged, clock);
        var refused = Assert.Throws<DomainException>(() => ticket.Resolve("bob", TicketInState.Now(clock), new Resolution(null, null, null)));
        Assert.Contains("is Acknowledged", refused.Message);
    }

    [Fact]
    public void Reopen_SpamRejection_GoesBackToWorkAndClearsTheRejection()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.Rejected, clock);
        ticket.Reopen("lead", TicketInState.Now(clock), "Not spam after all");
        Assert.Equal((TicketState.InProgress, (RejectionReason?)null, 1), (ticket.State, ticket.RejectionReason, ticket.ReopenCount));
    }

    [Fact]
    public void Reopen_Twice_CountsBothReopenings()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.Resolved, clock);
        ticket.Reopen("ann@example.com", TicketInState.Now(clock), "Still broken");
        ticket.Resolve("bob", TicketInState.Now(clock).AddHours(1), new Resolution(RemedyKinds.Refund, 10m, 51));
        ticket.Reopen("ann@example.com", TicketInState.Now(clock).AddHours(2), "Refund never arrived");
        Assert.Equal(2, ticket.ReopenCount);
    }

    [Fact]
    public void AvailableSteps_MergedTicket_OffersNothing()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.Acknowledged, clock);
        ticket.MergeInto("bob", TicketInState.Now(clock), 77);
        Assert.Empty(ticket.AvailableSteps(TicketInState.Now(clock).AddYears(1)));
    }

    [Fact]
    public void Resolve_CompleteResolution_RecordsRemedyCostInCentsRootCauseAndTellsTheCustomer()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.InProgress, clock);
        var now = TicketInState.Now(clock);

        ticket.Resolve("bob", now, new Resolution(RemedyKinds.DiscountOrVoucher, 4.995m, 51, "Seal batch 7", "Here is a voucher."));

        Assert.Equal((RemedyKinds.DiscountOrVoucher, 5.00m, 51, "Seal batch 7", now), (ticket.RemedyGivenId!.Value, ticket.RemedyCost!.Value, ticket.RootCauseId!.Value, ticket.RootCauseNote, ticket.ResolvedAt!.Value));
        Assert.Equal((ConversationEntryKind.Outbound, "Here is a voucher."), (ticket.Conversation[^1].Kind, ticket.Conversation[^1].Body));
        Assert.True(ticket.ResolvedWithinTarget);
    }

    [Fact]
    public void Close_DuringFollowUpWindowWithoutOutcome_IsRefusedAndChangesNothing()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.FollowUp, clock);
        var before = TicketInState.Snapshot(ticket);
        var justBeforeEnd = ticket.FollowUpDueAt!.Value - TimeSpan.FromMilliseconds(1);

        var refused = Assert.Throws<DomainException>(() => ticket.Close("desk", justBeforeEnd));

        Assert.Contains("follow-up outcome", refused.Message);
        Assert.Equal(before, TicketInState.Snapshot(ticket));
    }

    [Fact]
    public void Close_AtEndOfFollowUpWindowWithoutAnswer_ClosesWithAcceptanceUnknown()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.FollowUp, clock);
        var due = ticket.FollowUpDueAt!.Value;

        ticket.Close("desk", due);

        Assert.Equal((TicketState.Closed, due, (bool?)null), (ticket.State, ticket.ClosedAt!.Value, ticket.CustomerAccepted));
    }

    [Fact]
    public void Close_AfterRecordedOutcome_ClosesAtOnceAndKeepsWhetherTheCustomerAccepted()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.FollowUp, clock);
        var now = TicketInState.Now(clock);
        ticket.RecordFollowUpOutcome("desk", now, customerAccepted: false, "Wanted a refund");

        ticket.Close("desk", now.AddMinutes(1));

        Assert.Equal((TicketState.Closed, (bool?)false, "Wanted a refund"), (ticket.State, ticket.CustomerAccepted, ticket.FollowUpNote));
    }

    [Fact]
    public void RecordFollowUpOutcome_OutsideFollowUp_IsRefusedAndChangesNothing()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.Resolved, clock);
        var before = TicketInState.Snapshot(ticket);
        Assert.Throws<DomainException>(() => ticket.RecordFollowUpOutcome("desk", TicketInState.Now(clock), true, null));
        Assert.Equal(before, TicketInState.Snapshot(ticket));
    }

    [Fact]
    public void Reopen_MergedTicket_IsRefusedSayingWhy()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.Acknowledged, clock);
        ticket.MergeInto("bob", TicketInState.Now(clock), 77);
        var before = TicketInState.Snapshot(ticket);

        var refused = Assert.Throws<DomainException>(() => ticket.Reopen("bob", TicketInState.Now(clock), "Not a duplicate"));

        Assert.Contains("merged", refused.Message);
        Assert.Equal(before, TicketInState.Snapshot(ticket));
        Assert.Equal((RejectionReason.Duplicate, 77L), (ticket.RejectionReason!.Value, ticket.MergedIntoTicketId!.Value));
    }

    [Fact]
    public void Reopen_ClosedTicket_ClearsTheDecisionAndCountsTheReopening()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.Closed, clock);

        ticket.Reopen("ann@example.com", TicketInState.Now(clock), "It leaks again");

        Assert.Equal(TicketState.InProgress, ticket.State);
        Assert.Equal(1, ticket.ReopenCount);
        Assert.Null(ticket.ResolvedAt);
        Assert.Null(ticket.RemedyGivenId);
        Assert.Null(ticket.RootCauseId);
        Assert.Null(ticket.ClosedAt);
        Assert.Null(ticket.CustomerAccepted);
        Assert.Contains(ticket.AuditTrail, a => a.Trigger == TicketTrigger.Resolve); // the old decision stays in the audit trail
    }

    [Fact]
    public void Reject_AsDuplicate_IsRefused_MergeIsTheWay()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.New, clock);
        var refused = Assert.Throws<DomainException>(() => ticket.Reject("bob", TicketInState.Now(clock), RejectionReason.Duplicate));
        Assert.Contains("merged", refused.Message);
        Assert.Equal(TicketState.New, ticket.State);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void MergeInto_NoSuchTicket_IsRefused(long target)
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.New, clock);
        Assert.Throws<DomainException>(() => ticket.MergeInto("bob", TicketInState.Now(clock), target));
        Assert.Equal(TicketState.New, ticket.State);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Escalate_WithoutReason_IsRefusedAndChangesNothing(string reason)
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.InProgress, clock);
        var before = TicketInState.Snapshot(ticket);
        var refused = Assert.Throws<DomainException>(() => ticket.Escalate("bob", TicketInState.Now(clock), reason));
        Assert.Contains("reason", refused.Message);
        Assert.Equal(before, TicketInState.Snapshot(ticket));
    }

    [Theory]
    [InlineData(Severity.Minor, RelationshipLevel.Basic)]
    [InlineData(Severity.Major, RelationshipLevel.Basic)]
    [InlineData(Severity.Major, RelationshipLevel.Partnership)]
    public void Receive_SetsSlaDueTimesFromTargetsForSeverityAndLevel(Severity severity, RelationshipLevel level)
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Received(clock, severity, TicketInState.Customer(level));
        var target = SlaPolicy.Default.TargetFor(severity, level);
        var received = TicketInState.Now(clock);
        Assert.Equal((received + target.FirstResponse, received + target.Resolution), (ticket.FirstResponseDueAt, ticket.ResolutionDueAt));
        Assert.Equal(level, ticket.CustomerLevel);
    }

    [Fact]
    public void SlaDefaults_MajorIsTighterThanMinor_AndPartnersTighterThanBasic()
    {
        foreach (var level in Enum.GetValues<RelationshipLevel>())
            Assert.True(SlaPolicy.Default.TargetFor(Severity.Major, level).Resolution < SlaPolicy.Default.TargetFor(Severity.Minor, level).Resolution);
        foreach (var severity in Enum.GetValues<Severity>())
            Assert.True(SlaPolicy.Default.TargetFor(severity, RelationshipLevel.Partnership).FirstResponse
                < SlaPolicy.Default.TargetFor(severity, RelationshipLevel.Basic).FirstResponse);
    }

    [Fact]
    public void Assess_NewSeverity_MovesDueTimesCountedFromReceipt()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.Acknowledged, clock);
        clock.Advance(TimeSpan.FromHours(3));

        ticket.Assess("lead", TicketInState.Now(clock), Severity.Major, Impact.High, safetyRisk: true, SlaPolicy.Default);

        var major = SlaPolicy.Default.TargetFor(Severity.Major, RelationshipLevel.Basic);
        Assert.Equal((Severity.Major, Impact.High, true), (ticket.Severity, ticket.Impact, ticket.SafetyRisk));
        Assert.Equal(ticket.ReceivedAt + major.Resolution, ticket.ResolutionDueAt);
        Assert.Equal(ticket.ReceivedAt + major.FirstResponse, ticket.FirstResponseDueAt);
    }

    [Theory]
    [InlineData(89, TicketKind.Complaint, true)]
    [InlineData(90, TicketKind.Complaint, true)]
    [InlineData(91, TicketKind.Complaint, false)]
    [InlineData(10, TicketKind.Compliment, false)]
    public void Receive_PreviousComplaintWithinWindow_FlagsRepeatComplaint(int daysBefore, TicketKind kind, bool repeat)
    {
        var clock = TicketInState.Clock();
        var previous = TicketInState.Now(clock).AddDays(-daysBefore);
        Assert.Equal(repeat, TicketInState.Received(clock, previousComplaintAt: previous, kind: kind).IsRepeatComplaint);
    }

    [Fact]
    public void Receive_FirstComplaint_IsNotARepeat() =>
        Assert.False(TicketInState.Received(TicketInState.Clock()).IsRepeatComplaint);

    [Fact]
    public void Receive_UnsavedCustomer_IsRefused() =>
        Assert.Throws<DomainException>(() => TicketInState.Received(TicketInState.Clock(), customer: TicketInState.Customer(id: 0)));

    [Fact]
    public void Reply_OnlyTheFirstOneStopsTheFirstResponseClock()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.InProgress, clock);
        var first = TicketInState.Now(clock);
        ticket.Reply("bob", first, "Looking into it.");
        ticket.Reply("bob", first.AddHours(1), "Found it.");
        Assert.Equal(first, ticket.FirstRespondedAt);
        Assert.Equal(2, ticket.Conversation.Count(e => e.Kind == ConversationEntryKind.Outbound));
    }

    [Fact]
    public void Reply_ToRejectedTicket_IsRefused()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.Rejected, clock);
        Assert.Throws<DomainException>(() => ticket.Reply("bob", TicketInState.Now(clock), "Hello"));
        Assert.Null(ticket.FirstRespondedAt);
    }

    [Fact]
    public void AddInternalNote_IsPrivate_CustomerMessagesArePublic()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.InProgress, clock);
        ticket.AddInternalNote("bob", TicketInState.Now(clock), "Supplier says batch 7");
        ticket.AddCustomerMessage("ann@example.com", TicketInState.Now(clock), "Any news?");
        Assert.False(ticket.Conversation[^2].IsPublic);
        Assert.True(ticket.Conversation[^1].IsPublic);
    }

    [Theory]
    [InlineData(123, "D-000123")]
    [InlineData(1_234_567, "D-1234567")]
    public void TicketNumber_Format_PadsToSixDigits(long id, string number) => Assert.Equal(number, TicketNumber.Format(id));

    [Theory]
    [InlineData("D-000123", 123)]
    [InlineData("d-123", 123)]
    [InlineData(" 123 ", 123)]
    public void TicketNumber_TryParse_AcceptsNumberForms(string text, long id)
    {
        Assert.True(TicketNumber.TryParse(text, out var parsed));
        Assert.Equal(id, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("D-")]
    [InlineData("x12")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("D-12a")]
    public void TicketNumber_TryParse_RejectsAnythingElse(string text) => Assert.False(TicketNumber.TryParse(text, out _));

    [Theory]
    [InlineData("  Ann@Example.COM ", "ann@example.com")]
    [InlineData("li.na@example.net", "li.na@example.net")]
    public void Customer_NormalizeEmail_TrimsAndLowerCases(string given, string stored) => Assert.Equal(stored, Customer.NormalizeEmail(given));

    [Theory]
    [InlineData("a@")]
    [InlineData("@b")]
    [InlineData("a b@c")]
    [InlineData("a@b@c")]
    [InlineData("")]
    public void Customer_NormalizeEmail_RefusesWhatIsNotAnAddress(string given) => Assert.Throws<DomainException>(() => Customer.NormalizeEmail(given));

    [Theory]
    [InlineData("Ana\r\nLima", "Ana Lima")]
    [InlineData("  Ana \t\u2028 Lima\u0007 ", "Ana Lima")]
    [InlineData("\u0001\u0002", "ana@example.org")] // nothing left of the name: the address stands in, as for no name
    public void Customer_NameWithControlCharacters_IsOneLine(string given, string stored) =>
        Assert.Equal(stored, new Customer("ana@example.org", given, DateTime.UnixEpoch).Name);

    [Fact]
    public void OneLine_Of_FoldsRunsOfControlsAndSpacesToOneSpace() =>
        Assert.Equal("Refund request Bcc: x@y.test", OneLine.Of("\r\nRefund  request\r\n\tBcc: x@y.test\u0085"));
}
