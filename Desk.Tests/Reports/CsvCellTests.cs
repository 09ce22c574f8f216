using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Features.Reports.WinBack;

namespace Desk.Tests.Reports;

/// <summary>Text people typed goes into the reports' CSVs as text: never as a formula a spreadsheet would run (OWASP CSV injection).</summary>
public sealed class CsvCellTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.test\",\"click\")", "\"'=HYPERLINK(\"\"http://evil.test\"\",\"\"click\"\")\"")]
    [InlineData("+1 555 0100", "\"'+1 555 0100\"")]
    [InlineData("-2+3", "\"'-2+3\"")]
    [InlineData("@SUM(A1:A9)", "\"'@SUM(A1:A9)\"")]
    [InlineData("\t=1+1", "\"'\t=1+1\"")]
    [InlineData("\r=1+1", "\"'\r=1+1\"")]
    [InlineData("Ana Lima", "\"Ana Lima\"")]
    [InlineData("王芳 \"Fang\"", "\"王芳 \"\"Fang\"\"\"")]
    [InlineData("a=b", "\"a=b\"")]
    [InlineData("", "\"\"")]
    public void Text_FormulaLead_IsNeutralisedAndEveryCellQuoted(string typed, string written) => Assert.Equal(written, CsvCell.Text(typed));

    [Fact]
    public void WinBackCsv_CustomerNamedLikeAFormula_IsWrittenAsText()
    {
        var row = new WinBackRow(7, 3, "=HYPERLINK(\"http://evil.test\")", "@evil@example.org", "-1+1 refund", DateTime.UnixEpoch, 120m, null, null);

        var csv = ReportFile.RawCsv(WinBackController.Table([row])).Split("\r\n")[1];

        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.test\"\")\",\"'@evil@example.org\",", csv);
        Assert.Contains(",\"'-1+1 refund\",", csv);
    }
}
