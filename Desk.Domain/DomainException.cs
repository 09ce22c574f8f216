using System.Globalization;

namespace Desk.Domain;

/// <summary>
/// The one exception the domain throws when a request breaks its rules: an illegal workflow
/// step, a failed guard, or an argument the model cannot accept. When it is thrown, nothing has changed.
/// The message is an English <see cref="Template"/> with <see cref="Arguments"/> ({0}, {1}, …), so the
/// application can show it in the reader's language: it translates the template and the arguments that
/// are words (enum values, <see cref="Phrase"/>s, lists of phrases), never the data: a plain string argument is data and stays as typed.
/// </summary>
public sealed class DomainException(string template, params object?[] arguments)
    : Exception(Format(template, arguments))
{
    public string Template { get; } = template;
    public IReadOnlyList<object?> Arguments { get; } = arguments;

    private static string Format(string template, object?[] arguments) =>
        arguments.Length == 0 ? template : string.Format(CultureInfo.InvariantCulture, template,
            [.. arguments.Select(a => a is not string && a is IEnumerable<string> list ? string.Join(" and ", list) : a)]);
}

/// <summary>Words of the desk put into a <see cref="DomainException"/>'s template, e.g. "be reopened", as opposed to data.</summary>
public sealed record Phrase(string Text)
{
    public override string ToString() => Text;
}
