using System.Globalization;
using CsvHelper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;

namespace Desk.Web.Features.Reports.Downloads;

/// <summary>The three downloads beside every report table.</summary>
public enum DownloadFormat
{
    /// <summary><c>.csv</c>: for people — headers, codes and names in the UI's language, percentages as "35.9 %".</summary>
    Csv,
    /// <summary><c>.xlsx</c>: for people, with real types — numbers, dates, percentages as numbers formatted as such.</summary>
    Xlsx,
    /// <summary><c>.raw.csv</c>: for analysts — English snake_case headers, codes, fractions, invariant numbers (the format the reports always had).</summary>
    RawCsv,
}

/// <summary>
/// The one writer of the reports' downloads. CSV through CsvHelper (quoting as RFC 4180 asks; text people typed always
/// quoted and neutralised, see <see cref="CsvCell"/>), UTF-8 with a byte-order mark so spreadsheet programs read Chinese
/// right; Excel through MiniExcel (numbers as numbers, dates as dates, percentages as fractions formatted as %).
/// </summary>
public static class ReportFile
{
    /// <summary>The route constraint of a report's download: <c>/reports/sla.{format}</c> with csv, xlsx or raw.csv.</summary>
    public const string Formats = "regex(^(csv|xlsx|raw\\.csv)$)";

    public static DownloadFormat Parse(string format) => format switch
    {
        "xlsx" => DownloadFormat.Xlsx,
        "raw.csv" => DownloadFormat.RawCsv,
        _ => DownloadFormat.Csv,
    };

    /// <summary>Whether a request asks for a download rather than a page (its errors are then plain text, not a page).</summary>
    public static bool IsDownload(PathString path) =>
        path.Value is { } p && (p.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase));

    /// <summary>The file for <paramref name="format"/>, named <paramref name="stem"/> plus its extension.</summary>
    public static FileContentResult Result(ReportTable table, DownloadFormat format, string stem, IStringLocalizer text) => format switch
    {
        DownloadFormat.Xlsx => new(Xlsx(table, text), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") { FileDownloadName = stem + ".xlsx" },
        DownloadFormat.RawCsv => new(Utf8WithMark(RawCsv(table)), "text/csv; charset=utf-8") { FileDownloadName = stem + ".raw.csv" },
        _ => new(Utf8WithMark(Csv(table, text)), "text/csv; charset=utf-8") { FileDownloadName = stem + ".csv" },
    };

    /// <summary>The analysts' CSV: snake_case headers, codes as they are, fractions to four places, invariant numbers.</summary>
    public static string RawCsv(ReportTable table) =>
        Write(table, column => column.Code, (column, value) => value switch
        {
            null => ("", CsvQuoting.WhenNeeded),
            Named { Typed: true } named => (CsvCell.Neutralise(named.Raw), CsvQuoting.Always),
            Named named => (named.Raw, CsvQuoting.WhenNeeded),
            string text when column.Kind == ColumnKind.Code => (text, CsvQuoting.WhenNeeded),
            string text => (CsvCell.Neutralise(text), CsvQuoting.Always),
            bool flag => (flag ? "1" : "0", CsvQuoting.WhenNeeded),
            DateTime at => (at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), CsvQuoting.WhenNeeded),
            IFormattable number => (number.ToString(column.Kind switch
            {
                ColumnKind.Percent => column.RawFormat is "" ? "0.0000" : column.RawFormat,
                ColumnKind.Money => "0.00",
                ColumnKind.Number => column.RawFormat,
                _ => null,
            }, CultureInfo.InvariantCulture), CsvQuoting.WhenNeeded),
            _ => (value.ToString() ?? "", CsvQuoting.WhenNeeded),
        });

    /// <summary>The people's CSV: headers, codes and names in the request's language, percentages as "35.9 %".</summary>
    public static string Csv(ReportTable table, IStringLocalizer text) =>
        Write(table, column => text[column.Header].Value, (column, value) => value switch
        {
            null => ("", CsvQuoting.WhenNeeded),
            Named named => (CsvCell.Neutralise(named.Shown), CsvQuoting.Always),
            string s => (CsvCell.Neutralise(s), CsvQuoting.Always),
            bool flag => (flag ? text["Yes"].Value : text["No"].Value, CsvQuoting.Always),
            DateTime at => (at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), CsvQuoting.WhenNeeded),
            double fraction when column.Kind == ColumnKind.Percent => (Percent(fraction), CsvQuoting.WhenNeeded),
            IFormattable number => (number.ToString(column.Kind switch
            {
                ColumnKind.Money => "0.00",
                ColumnKind.Number => column.ShownFormat,
                _ => null,
            }, CultureInfo.InvariantCulture), CsvQuoting.WhenNeeded),
            _ => (value.ToString() ?? "", CsvQuoting.WhenNeeded),
        });

    /// <summary>A fraction as people read a percentage: one decimal, a space, the sign ("35.9 %").</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Write(ReportTable table, Func<ReportColumn, string> header, Func<ReportColumn, object?, (string Text, CsvQuoting Quoting)> cell)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(output, CsvWriterOptions.Default with { NewLine = "\r\n" }, leaveOpen: true))
        {
            foreach (var column in table.Columns) csv.WriteField(header(column));
            csv.EndRecord();
            foreach (var row in table.Rows)
            {
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    var (text, quoting) = cell(table.Columns[i], row[i]);
                    csv.WriteField(text, quoting);
                }
                csv.EndRecord();
            }
        }
        return output.ToString();
    }

    /// <summary>
    /// The workbook: one sheet named after the table, headers in the request's language, each column typed — counts and
    /// money as numbers, rates as fractions shown as percentages, dates as dates — so a spreadsheet can compute with them.
    /// </summary>
    public static byte[] Xlsx(ReportTable table, IStringLocalizer text)
    {
        var keys = table.Columns.Select((c, i) => "c" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var rows = table.Rows.Select(row =>
        {
            var cells = new Dictionary<string, object?>(keys.Length);
            for (var i = 0; i < keys.Length; i++)
                cells[keys[i]] = row[i] switch
                {
                    Named named => named.Shown,
                    bool flag => flag ? text["Yes"].Value : text["No"].Value,
                    var value => value,
                };
            return cells;
        }).ToList();
        var configuration = new OpenXmlConfiguration
        {
            FastMode = true, // auto width needs it: the sheet is written to a seekable stream, then its column widths filled in
            EnableAutoWidth = true,
            TableStyles = TableStyles.None,
            DynamicColumns = table.Columns.Select((c, i) => new DynamicExcelColumn(keys[i])
            {
                Name = text[c.Header].Value,
                Index = i,
                Format = c.Kind switch
                {
                    ColumnKind.Percent => "0.0%",
                    ColumnKind.Money => "#,##0.00",
                    ColumnKind.Count => "0",
                    ColumnKind.Date => "yyyy-mm-dd",
                    ColumnKind.Number => c.ShownFormat,
                    _ => null,
                },
            }).ToArray(),
        };
        using var stream = new MemoryStream();
        var sheets = new Dictionary<string, object> { [SheetName(text[table.Title].Value)] = rows };
        stream.SaveAs(sheets, excelType: ExcelType.XLSX, configuration: configuration);
        return stream.ToArray();
    }

    /// <summary>Excel's sheet names: at most 31 characters, none of : \ / ? * [ ].</summary>
    private static string SheetName(string title)
    {
        var name = new string(title.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']')).ToArray()).Trim();
        return name.Length == 0 ? "Report" : name.Length > 31 ? name[..31] : name;
    }

    private static byte[] Utf8WithMark(string csv) => [.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(csv)];
}
