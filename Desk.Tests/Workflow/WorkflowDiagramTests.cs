using Desk.Domain.Tickets;
using Desk.Tests.Support;

namespace Desk.Tests.Workflow;

public sealed class WorkflowDiagramTests
{
    private const string UpdateVariable = "DESK_WRITE_WORKFLOW_DIAGRAM";
    private static readonly string DiagramFile = Repository.PathOf("docs", "workflow.md");

    /// <summary>The checked-in diagram must be what the state machine generates today.</summary>
    [Fact]
    public void WorkflowDiagram_CheckedInFile_MatchesTheStateMachine()
    {
        var expected = Render(Ticket.WorkflowDiagram());
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1") File.WriteAllText(DiagramFile, expected);
        var actual = File.Exists(DiagramFile) ? File.ReadAllText(DiagramFile).ReplaceLineEndings("\n") : "(missing)";
        Assert.True(expected == actual,
            $"docs/workflow.md is out of date with Ticket.Workflow.cs. Regenerate it: {UpdateVariable}=1 dotnet test --filter WorkflowDiagram");
    }

    [Fact]
    public void WorkflowDiagram_ShowsEveryStateAndTheGuards()
    {
        var diagram = Ticket.WorkflowDiagram();
        foreach (var state in Enum.GetValues<TicketState>()) Assert.Contains(state.ToString(), diagram);
        Assert.Contains("InProgress --> Resolved : Resolve [a remedy given with its cost", diagram);
        Assert.Contains("FollowUp --> Closed : Close [a recorded follow-up outcome", diagram);
    }

    private static string Render(string mermaid) => $"""
        # The ticket workflow

        Generated from the state machine in `Desk.Domain/Tickets/Ticket.Workflow.cs`; a test fails when
        this file and the code disagree (regenerate with `{UpdateVariable}=1 dotnet test --filter WorkflowDiagram`).
        Guards are shown in brackets; a step whose guard fails is refused with the guard's words.

        ```mermaid
        {mermaid.ReplaceLineEndings("\n").TrimEnd()}
        ```

        """.ReplaceLineEndings("\n");
}
