namespace Desk.Web.Features.Reports.Downloads;

/// <summary>
/// The download buttons under a report table (partial <c>_Downloads</c>): "CSV" and "Excel" for people, "CSV for analysts"
/// (the raw form). <paramref name="Path"/> is the table's address without extension (<c>/reports/sla</c>),
/// <paramref name="Query"/> the page's filters, <paramref name="Id"/> the prefix of the links' ids (<c>agents-</c>).
/// </summary>
public sealed record ReportDownloads(string Path, string Query, string Id = "")
{
    public string Href(string extension) => Path + "." + extension + Query switch
    {
        "" => "",
        ['?', ..] => Query,
        _ => "?" + Query,
    };
}
