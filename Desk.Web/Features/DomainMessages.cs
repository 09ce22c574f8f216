using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features;

/// <summary>A refusal from the domain (or a lost update), in the reader's language.</summary>
public static class DomainMessages
{
    /// <summary>
    /// Translates the exception's template and the arguments that are words: enum values, phrases and lists of
    /// phrases (joined with "and" in the reader's language). Data — numbers, names, what someone typed, any plain string — stays as it is;
    /// the localizer returns any text it has no translation for unchanged.
    /// </summary>
    public static string Localize(this IStringLocalizer text, Exception e) => e switch
    {
        DomainException domain => text[domain.Template, [.. domain.Arguments.Select(a => Word(text, a) ?? "")]].Value,
        ConcurrencyConflictException conflict => text[conflict.Template, conflict.TicketNumber ?? ""].Value,
        _ => e.Message,
    };

    private static object? Word(IStringLocalizer text, object? argument) => argument switch
    {
        TicketState state => text[Shared.Badges.StateLabel(state)].Value,
        Enum value => text[value.ToString()].Value,
        IEnumerable<string> list when argument is not string => string.Join(text[" and "].Value, list.Select(item => text[item].Value)),
        Phrase phrase => text[phrase.Text].Value,
        _ => argument,
    };
}
