using Desk.Domain.Tickets;

namespace Desk.Web.Features.Tickets;

/// <param name="Text">What the box starts with: the text of a refused send, else the agent's draft, else nothing.</param>
/// <param name="Signature">The agent's signature, shown under the box as the mail will end; null: none yet.</param>
/// <param name="Kept">After a refusal, what the agent posted (also a step form's fields, put back by the page's script).</param>
/// <param name="Changes">After a refusal, the audit and conversation entries newer than the agent's page showed, oldest first.</param>
/// <param name="SeenAuditId">The newest audit entry this page shows, posted back with every form.</param>
/// <param name="SeenEntryId">The newest conversation entry this page shows, posted back with every form.</param>
public sealed record ReplyBoxState(string? Text, string? Signature, KeptForm? Kept, IReadOnlyList<SeenChange> Changes, long SeenAuditId, long SeenEntryId)
{
    public static ReplyBoxState Empty { get; } = new(null, null, null, [], 0, 0);
}

/// <summary>What an agent posted and was refused: <paramref name="What"/> is the action or step's name.</summary>
/// <param name="HadFiles">Files were posted: the browser cannot be given them back, so the agent is asked to choose them again.</param>
public sealed record KeptForm(string What, TicketStepForm Form, bool HadFiles)
{
    /// <summary>Whether the kept text belongs in the reply box (a reply or a note), not in a step's form.</summary>
    public bool InReplyBox => What is nameof(TicketAction.Reply) or nameof(TicketAction.Note);
}

/// <summary>One thing that happened to the ticket after the agent's page was shown: a step (Trigger) or a message (Kind).</summary>
public sealed record SeenChange(DateTime At, long Id, string Who, TicketTrigger? Trigger, TicketState? ToState, string? Text, ConversationEntryKind? Kind);
