using System.ComponentModel.DataAnnotations;
using Desk.Domain.Tickets;

namespace Desk.Web.Features.Intake;

/// <summary>What an agent fills in for a customer on the phone or at the counter.</summary>
public sealed record NewTicketForm : IValidatableObject
{
    /// <summary>The search that listed the customers to pick from; kept so a refused form shows the same list.</summary>
    public string? Q { get; init; }

    /// <summary>The customer picked from the search; null: a new customer, from the fields below.</summary>
    public long? CustomerId { get; init; }

    [StringLength(200)]
    [Display(Name = "Customer's name")]
    public string? Name { get; init; }

    [EmailAddress(ErrorMessage = "That does not look like an e-mail address.")]
    [StringLength(320)]
    [Display(Name = "E-mail (optional)")]
    public string? Email { get; init; }

    [StringLength(50)]
    [Display(Name = "Phone (optional)")]
    public string? Phone { get; init; }

    [Display(Name = "Language for mails")]
    public string Language { get; init; } = "en";

    [Display(Name = "How did they tell you?")]
    public Channel Channel { get; init; } = Channel.Phone;

    [Display(Name = "What is it about?")]
    public TicketKind Kind { get; init; } = TicketKind.Complaint;

    [Required(ErrorMessage = "Please give a short subject.")]
    [StringLength(300)]
    [Display(Name = "Subject")]
    public string Subject { get; init; } = "";

    [Required(ErrorMessage = "Please describe what happened.")]
    [StringLength(20_000, ErrorMessage = "Please keep it under 20,000 characters.")]
    [Display(Name = "What the customer told you")]
    public string Description { get; init; } = "";

    [StringLength(100)]
    [Display(Name = "Order number")]
    public string? OrderReference { get; init; }

    [Display(Name = "What would put it right for them?")]
    public int? RemedySoughtId { get; init; }

    /// <summary>The form's one-time token (as on the public form): the same form sent twice files one ticket.</summary>
    public string? Submission { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CustomerId is null && string.IsNullOrWhiteSpace(Name))
            yield return new ValidationResult("Pick a customer from the search, or give the new customer's name.", [nameof(Name)]);
        if (Channel is not (Channel.Phone or Channel.InPerson))
            yield return new ValidationResult("Choose by phone or in person.", [nameof(Channel)]);
    }
}

/// <summary>The page: the form, and the customers the search found.</summary>
public sealed record NewTicketPage(NewTicketForm Form, IReadOnlyList<CustomerMatch> Matches, bool Searched);

/// <summary>A customer an agent can pick; <see cref="Email"/> is null for one the desk has no address for.</summary>
public sealed record CustomerMatch(long Id, string Name, string? Email, string? Phone);

/// <summary>What the agent is told once the ticket is filed: above all, whether the customer got the status link by mail.</summary>
public sealed record FiledPage(string Number, string CustomerName, string? MailedTo, bool RateLimited, string StatusUrl);
