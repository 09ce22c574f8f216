namespace Desk.Web.Features.Reports.Downloads;

/// <summary>
/// Text that people typed (customers' and agents' names, addresses, subjects, the taxonomy) in a report's download:
/// because a spreadsheet runs a cell that starts with <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> (or a tab or carriage
/// return before one) as a formula, <c>=HYPERLINK(…)</c> included, such a cell starts with an apostrophe, as OWASP
/// recommends for CSV injection: the spreadsheet shows the text as it was typed and runs nothing.
/// </summary>
public static class CsvCell
{
    public static string Neutralise(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    /// <summary>The cell as the CSV writes it: neutralised, then quoted as RFC 4180 asks.</summary>
    public static string Text(string value) => "\"" + Neutralise(value).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
