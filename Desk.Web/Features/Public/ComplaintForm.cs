using System.ComponentModel.DataAnnotations;
using Desk.Domain.Tickets;

namespace Desk.Web.Features.Public;

/// <summary>What a customer fills in on the public form.</summary>
public sealed record ComplaintForm
{
    [Required(ErrorMessage = "Please tell us your name.")]
    [StringLength(200)]
    [Display(Name = "Name")]
    public string Name { get; init; } = "";

    [Required(ErrorMessage = "Please give your e-mail address, so we can answer you.")]
    [EmailAddress(ErrorMessage = "That does not look like an e-mail address.")]
    [StringLength(320)]
    [Display(Name = "E-mail")]
    public string Email { get; init; } = "";

    [StringLength(100)]
    [Display(Name = "Order number (if you have one)")]
    public string? OrderReference { get; init; }

    [Display(Name = "What is it about?")]
    public TicketKind Kind { get; init; } = TicketKind.Complaint;

    [Required(ErrorMessage = "Please give a short subject.")]
    [StringLength(300)]
    [Display(Name = "Subject")]
    public string Subject { get; init; } = "";

    [Required(ErrorMessage = "Please describe what happened.")]
    [StringLength(20_000, ErrorMessage = "Please keep it under 20,000 characters.")]
    [Display(Name = "What happened?")]
    public string Description { get; init; } = "";

    [Display(Name = "What would put it right for you?")]
    public int? RemedySoughtId { get; init; }

    /// <summary>
    /// The one-time token the form was rendered with (a hidden field): the same token posted again finds the ticket it
    /// opened instead of opening a second one. Forms without one (older pages, scripts) simply are not de-duplicated.
    /// </summary>
    public string? Submission { get; init; }
}

public sealed record CustomerReplyForm
{
    [Required(ErrorMessage = "Please write your message.")]
    [StringLength(20_000)]
    public string Message { get; init; } = "";
}
