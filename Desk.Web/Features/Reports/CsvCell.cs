namespace Desk.Web.Features.Reports;

/// <summary>
/// The one way a report's CSV writes text that people typed (customers' and agents' names, addresses, subjects, the
/// taxonomy): quoted as RFC 4180 asks, and — because a spreadsheet runs a cell that starts with <c>=</c>, <c>+</c>,
/// <c>-</c> or <c>@</c> (or a tab or carriage return before one) as a formula, <c>=HYPERLINK(…)</c> included — such a
/// cell starts with an apostrophe, as OWASP recommends for CSV injection: the spreadsheet shows the text as it was
/// typed and runs nothing.
/// </summary>
public static class CsvCell
{
    public static string Text(string value)
    {
        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
