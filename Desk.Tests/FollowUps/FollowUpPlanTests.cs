using Desk.Domain;
using Desk.Domain.Customers;
using Desk.Domain.FollowUps;

namespace Desk.Tests.FollowUps;

public sealed class FollowUpPlanTests
{
    private static readonly DateTime Resolved = new(2026, 3, 10, 15, 30, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(RelationshipLevel.Basic, 14, false, "")]
    [InlineData(RelationshipLevel.Reactive, 14, true, "")]
    [InlineData(RelationshipLevel.Accountable, 14, true, "CheckIn+3")]
    [InlineData(RelationshipLevel.Proactive, 35, true, "CheckIn+3 LaterCheckIn+30")]
    [InlineData(RelationshipLevel.Partnership, 35, true, "CheckIn+3 AccountReview+7 LaterCheckIn+30")]
    public void Default_ByLevel_MakesTheTasksOfDomainMd(RelationshipLevel level, int window, bool invite, string tasks)
    {
        var plan = FollowUpPlan.Default(level);

        Assert.Equal((window, invite), (plan.WindowDays, plan.InviteCallBack));
        Assert.Equal(tasks, string.Join(' ', plan.TasksFrom(Resolved).Select(t => $"{t.Kind}+{(t.DueAt - Resolved).TotalDays:0.###}")));
    }

    [Theory]
    [InlineData(0, 0, null, null, null, "between 1 and 365")]
    [InlineData(366, 0, null, null, null, "between 1 and 365")]
    [InlineData(14, 14 * 24 + 1, null, null, null, "within the follow-up window")]
    [InlineData(14, -1, null, null, null, "within the follow-up window")]
    [InlineData(14, 0, 15, null, null, "inside the follow-up window")]
    [InlineData(14, 0, null, null, -1, "inside the follow-up window")]
    [InlineData(30, 0, 5, 5, null, "after the first one")]
    public void Change_OutOfBounds_IsRefusedAndChangesNothing(int window, int hours, int? checkIn, int? later, int? review, string message)
    {
        var plan = FollowUpPlan.Default(RelationshipLevel.Accountable);

        var refused = Assert.Throws<DomainException>(() => plan.Change(window, hours, false, checkIn, later, review));

        Assert.Contains(message, refused.Message);
        Assert.Equal((14, 24, 3), (plan.WindowDays, plan.SurveyAfterHours, plan.CheckInAfterDays));
    }

    [Fact]
    public void Change_AtTheBoundaries_IsAccepted()
    {
        var plan = FollowUpPlan.Default(RelationshipLevel.Basic);

        plan.Change(365, 365 * 24, true, 0, 365, 365);

        Assert.Equal([FollowUpTaskKind.CheckIn, FollowUpTaskKind.LaterCheckIn, FollowUpTaskKind.AccountReview], plan.TasksFrom(Resolved).Select(t => t.Kind));
        Assert.Equal(Resolved, plan.TasksFrom(Resolved)[0].DueAt);
    }
}

public sealed class FollowUpTaskTests
{
    private static readonly DateTime Now = new(2026, 3, 10, 15, 30, 0, DateTimeKind.Utc);

    [Fact]
    public void Skip_WithoutReason_IsRefused()
    {
        var task = new FollowUpTask(1, 2, FollowUpTaskKind.CheckIn, Now, "bob", "desk", Now);

        Assert.Throws<DomainException>(() => task.Skip("bob", Now, "  "));
        Assert.True(task.IsOpen);
    }

    [Fact]
    public void Complete_Twice_IsRefusedAndTheFirstRecordStands()
    {
        var task = new FollowUpTask(1, 2, FollowUpTaskKind.CheckIn, Now, "bob", "desk", Now);
        task.Complete("bob", Now.AddHours(1), "Kettle works.");

        var refused = Assert.Throws<DomainException>(() => task.Skip("eve", Now.AddHours(2), "no time"));

        Assert.Equal("This follow-up task was already done by bob.", refused.Message);
        Assert.Equal((FollowUpTaskOutcome.Done, "bob", Now.AddHours(1), "Kettle works."), (task.Outcome, task.SettledBy, task.SettledAt, task.Note));
    }
}

public sealed class SurveyTests
{
    private static readonly DateTime Now = new(2026, 3, 10, 15, 30, 0, DateTimeKind.Utc);
    private static readonly SurveyAnswer Good = new(4, 5, 4, true, "  Thanks!  ", Reliability: 5);

    private static (Survey Survey, string Token) Sent()
    {
        var survey = new Survey(7, 8, "zh", Now, Now);
        return (survey, survey.Send(Now, TimeSpan.FromDays(14)));
    }

    [Fact]
    public void Send_KeepsOnlyTheTokensHash()
    {
        var (survey, token) = Sent();

        Assert.True(Survey.LooksLikeToken(token));
        Assert.Equal(Survey.Hash(token), survey.TokenHash);
        Assert.DoesNotContain(token, survey.TokenHash);
        Assert.Throws<DomainException>(() => survey.Send(Now, TimeSpan.FromDays(1)));
    }

    [Fact]
    public void Answer_Twice_IsRefusedAndTheFirstAnswerStands()
    {
        var (survey, _) = Sent();
        survey.Answer(Good, Now.AddDays(1));

        var refused = Assert.Throws<DomainException>(() => survey.Answer(Good with { OutcomeSatisfaction = 1 }, Now.AddDays(2)));

        Assert.Contains("answered already", refused.Message);
        Assert.Equal((4, "Thanks!", Now.AddDays(1)), (survey.OutcomeSatisfaction, survey.Comment, survey.AnsweredAt));
    }

    [Fact]
    public void Answer_AtTheMomentTheLinkExpires_IsRefused()
    {
        var (survey, _) = Sent();

        Assert.Throws<DomainException>(() => survey.Answer(Good, Now.AddDays(14)));
        survey.Answer(Good, Now.AddDays(14).AddTicks(-1));
        Assert.True(survey.IsAnswered);
    }

    [Theory]
    [InlineData(0, 3, 3, null)]
    [InlineData(3, 6, 3, null)]
    [InlineData(3, 3, 0, null)]
    [InlineData(3, 3, 3, 6)]
    public void Answer_ScoreOutOfRange_IsRefused(int outcome, int handling, int intention, int? empathy)
    {
        var (survey, _) = Sent();

        Assert.Throws<DomainException>(() => survey.Answer(new SurveyAnswer(outcome, handling, intention, null, null, Empathy: empathy), Now));
        Assert.False(survey.IsAnswered);
    }

    [Theory]
    [InlineData(2, 5, true)]
    [InlineData(5, 2, true)]
    [InlineData(3, 3, false)]
    public void IsLow_EitherSatisfactionAtTwoOrBelow(int outcome, int handling, bool low) =>
        Assert.Equal(low, new SurveyAnswer(outcome, handling, 3, null, null).IsLow);

    [Fact]
    public void Reschedule_Unanswered_NeedsANewLink_Answered_StaysAsItIs()
    {
        var (survey, token) = Sent();
        survey.Reschedule(Now.AddDays(3));
        Assert.Equal((null, null, (DateTime?)null), (survey.SentAt, survey.TokenHash, survey.ExpiresAt));
        Assert.NotEqual(Survey.Hash(token), Survey.Hash(survey.Send(Now.AddDays(3), TimeSpan.FromDays(14))));

        survey.Answer(Good, Now.AddDays(4));
        survey.Reschedule(Now.AddDays(9));
        Assert.Equal(Now.AddDays(3), survey.SentAt);
    }
}
