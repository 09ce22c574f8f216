using System.Globalization;
using System.IO.Compression;
using System.Text;
using Desk.Tests.Support;
using MiniExcelLibs;

namespace Desk.Tests.Reports;

/// <summary>
/// The three downloads beside every report table on the demo desk: the people's CSV and the workbook in the UI's
/// language (Chinese here), the analysts' raw CSV as it always was — and all three hold the same numbers.
/// </summary>
public abstract class ReportDownloadTests(DeskWebFactory factory)
{
    /// <summary>Every table a report page offers for download, by its address without extension.</summary>
    public static readonly string[] Tables =
    [
        "/reports/recovery", "/reports/recovery-remedies", "/reports/remedies", "/reports/sla", "/reports/sla-agents",
        "/reports/loss-reasons", "/reports/root-causes", "/reports/win-back", "/reports/three-faces",
    ];

    private async Task<HttpClient> ChineseManagerAsync()
    {
        var manager = await factory.SignedInAsync("maria");
        await manager.GetAsync("/language?culture=zh-CN&returnUrl=/");
        return manager;
    }

    [StorageFact]
    public async Task Csv_InChinese_HasByteOrderMarkChineseHeadersNamesAndPercentages()
    {
        var manager = await ChineseManagerAsync();
        var bytes = await manager.GetByteArrayAsync("/reports/root-causes.csv");
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var people = Lines(Encoding.UTF8.GetString(bytes));
        var raw = Lines(await manager.GetStringAsync("/reports/root-causes.raw.csv"));

        Assert.Equal("根本原因编号,根本原因,投诉,占比,累计占比,关键少数", string.Join(",", people[0]));
        Assert.Equal("root_cause_id,root_cause,complaints,share,cumulative_share,vital_few", string.Join(",", raw[0]));
        Assert.True(raw.Count > 2, "the demo desk has complaints with root causes");
        for (var i = 1; i < raw.Count - 1; i++)
        {
            Assert.Equal(raw[i][0], people[i][0]);
            Assert.NotEqual(raw[i][1], people[i][1]); // the English name for analysts, the Chinese one for people
            Assert.Matches("\\p{IsCJKUnifiedIdeographs}", people[i][1]);
            var share = double.Parse(raw[i][3], CultureInfo.InvariantCulture);
            Assert.Matches("^\\d{1,3}\\.\\d %$", people[i][3]);
            Assert.True(Math.Abs(double.Parse(people[i][3][..^2], CultureInfo.InvariantCulture) - share * 100) <= 0.051, $"{raw[i][3]} against {people[i][3]}");
            Assert.Equal(raw[i][5] == "1" ? "是" : "否", people[i][5]);
        }
        Assert.Equal(["", "(no cause yet)"], raw[^1][..2]);
        Assert.Equal(["", "尚无根本原因"], people[^1][..2]);

        var recovery = Lines(await manager.GetStringAsync("/reports/recovery.csv"));
        Assert.DoesNotContain(recovery.Skip(1), l => l[1] is "DidNotComplain" or "ResolvedLate" || l[0] is "Major" or "Minor");
        Assert.Contains(recovery, l => l[0] == "严重" || l[1].Contains("按时", StringComparison.Ordinal));
    }

    [StorageFact]
    public async Task Xlsx_InChinese_ReadsBackWithChineseHeadersAndTypedCells()
    {
        var manager = await ChineseManagerAsync();
        var response = await manager.GetAsync("/reports/win-back.xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("win-back.xlsx", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var winBack = Sheet(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("顾客", winBack[0][3]);
        Assert.True(winBack.Count > 1, "the demo desk has customers to win back");
        var first = winBack[1];
        Assert.IsType<double>(first[0]);     // ticket id: a number
        Assert.IsType<string>(first[3]);     // the customer's name
        Assert.IsType<double>(first[5]);     // spent: money as a number
        Assert.Contains(winBack.Skip(1), r => r[6] is DateTime); // last order: a date

        var recoveryBytes = await manager.GetByteArrayAsync("/reports/recovery.xlsx");
        var recovery = Sheet(recoveryBytes);
        var raw = Lines(await manager.GetStringAsync("/reports/recovery.raw.csv"));
        Assert.Equal("再次购买（比例）", recovery[0][4]);
        var measured = raw.Skip(1).Select((l, i) => (Line: l, Row: recovery[i + 1])).First(x => x.Line[4].Length > 0);
        Assert.Equal(double.Parse(measured.Line[4], CultureInfo.InvariantCulture), Assert.IsType<double>(measured.Row[4]), 4);
        // The rate is a fraction shown as a percentage: its cell carries a "0.0%" number format.
        using var zip = new ZipArchive(new MemoryStream(recoveryBytes));
        using var styles = new StreamReader(zip.GetEntry("xl/styles.xml")!.Open());
        Assert.Contains("formatCode=\"0.0%\"", await styles.ReadToEndAsync());
        Assert.Equal("顾客回来了吗？", MiniExcel.GetSheetNames(new MemoryStream(recoveryBytes)).Single());
    }

    [StorageFact]
    public async Task Downloads_EveryTable_HoldTheAnalystsNumbers()
    {
        var manager = await ChineseManagerAsync();
        foreach (var table in Tables)
        {
            var raw = Lines(await manager.GetStringAsync(table + ".raw.csv"));
            var people = Lines(await manager.GetStringAsync(table + ".csv"));
            var sheet = Sheet(await manager.GetByteArrayAsync(table + ".xlsx"));
            Assert.True(raw.Count == people.Count && raw.Count == sheet.Count, $"{table}: {raw.Count} analysts' lines, {people.Count} people's, {sheet.Count} rows in Excel");
            for (var i = 1; i < raw.Count; i++)
                for (var c = 0; c < raw[0].Count; c++)
                {
                    var (value, cell) = (raw[i][c], sheet[i][c]);
                    if (value.Length == 0) Assert.True(cell is null or string, $"{table} {raw[0][c]}: empty, Excel has {cell}"); // nothing, or a label such as "Unassigned"
                    else if (cell is double number) Assert.True(Math.Abs(double.Parse(value, CultureInfo.InvariantCulture) - number) < 1e-4, $"{table} {raw[0][c]}: {value} against {number}");
                    else if (cell is DateTime date) Assert.Equal(value, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    // The analysts' fraction has four places, the people's percentage one: they agree within the rounding of both.
                    if (double.TryParse(value, CultureInfo.InvariantCulture, out var n) && people[i][c].EndsWith(" %", StringComparison.Ordinal))
                        Assert.True(Math.Abs(double.Parse(people[i][c][..^2], CultureInfo.InvariantCulture) - n * 100) <= 0.051, $"{table} {raw[0][c]}: {value} against {people[i][c]}");
                }
        }
    }

    /// <summary>The workbook's first sheet, row by row, cell values as MiniExcel reads them (numbers as double, dates as DateTime).</summary>
    private static List<object?[]> Sheet(byte[] xlsx) =>
        MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: false)
            .Cast<IDictionary<string, object?>>().Select(r => r.Values.ToArray()).ToList();

    /// <summary>A CSV's records and fields (RFC 4180: quoted fields, doubled quotes), byte-order mark dropped.</summary>
    private static List<List<string>> Lines(string csv)
    {
        var records = new List<List<string>>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var text = csv.TrimStart('\uFEFF');
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString()); field.Clear();
                records.Add(fields); fields = [];
                i++;
            }
            else field.Append(ch);
        }
        return records;
    }
}

public sealed class ReportDownloadTestsOnSqlite(DeskWebFactory factory) : ReportDownloadTests(factory), IClassFixture<DeskWebFactory>;

public sealed class ReportDownloadTestsOnPostgres(PostgresDesk factory) : ReportDownloadTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;
