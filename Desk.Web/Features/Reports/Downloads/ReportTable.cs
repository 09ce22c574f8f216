using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Reports.Downloads;

/// <summary>What a column holds, which decides how each download writes it.</summary>
public enum ColumnKind
{
    /// <summary>Text people typed: quoted and neutralised in both CSVs, a text cell in Excel.</summary>
    Text,
    /// <summary>A code the desk names (a severity, a state, a section): as is for analysts, its label for people.</summary>
    Code,
    Count,
    /// <summary>A measure such as a mean: the analysts' CSV keeps the column's raw format.</summary>
    Number,
    /// <summary>A fraction: 0.3589 for analysts, "35.9 %" for people, a number formatted as a percentage in Excel.</summary>
    Percent,
    Money,
    Date,
    /// <summary>Yes or no: 1/0 for analysts.</summary>
    Flag,
}

/// <summary>One column of a report's download.</summary>
/// <param name="Code">The analysts' header (snake_case, English, as it has always been).</param>
/// <param name="Header">The people's header: a name in the shared resource, translated when written.</param>
/// <param name="RawFormat">For <see cref="ColumnKind.Number"/>: how the analysts' CSV writes it (e.g. <c>0.0000</c>).</param>
/// <param name="ShownFormat">For <see cref="ColumnKind.Number"/>: how people see it (CSV text and Excel number format).</param>
public sealed record ReportColumn(string Code, string Header, ColumnKind Kind, string RawFormat = "", string ShownFormat = "");

/// <summary>
/// A value with two faces: the analysts' CSV writes <paramref name="Raw"/> (a code such as <c>ResolvedLate</c>, unquoted;
/// or, when <paramref name="Typed"/>, text people typed, quoted and neutralised), the people's CSV and the workbook write
/// <paramref name="Shown"/> (its label, or the name in the UI's language).
/// </summary>
public readonly record struct Named(string Raw, string Shown, bool Typed = false);

/// <summary>
/// A report's table as every download writes it (analysts' CSV, people's CSV, Excel): its columns and, per row, one value
/// per column — <c>null</c> for none; a string, <see cref="Named"/>, a number, a <see cref="DateTime"/> or a bool otherwise.
/// The one writer is <see cref="ReportFile"/>; each report only says which columns it has and what goes in them.
/// </summary>
public sealed record ReportTable(string Title, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<object?[]> Rows)
{
    /// <summary>Starts a table of <typeparamref name="TRow"/>: add columns, then <see cref="ReportTableBuilder{TRow}.Build"/>.</summary>
    public static ReportTableBuilder<TRow> Of<TRow>(string title) => new(title);
}

/// <summary>Declares a table's columns once, each with how to read it from a row.</summary>
public sealed class ReportTableBuilder<TRow>(string title)
{
    private readonly List<(ReportColumn Column, Func<TRow, object?> Value)> columns = [];

    public ReportTableBuilder<TRow> Add(ReportColumn column, Func<TRow, object?> value)
    {
        columns.Add((column, value));
        return this;
    }

    public ReportTableBuilder<TRow> Text(string code, string header, Func<TRow, object?> value) => Add(new(code, header, ColumnKind.Text), value);
    public ReportTableBuilder<TRow> Code(string code, string header, Func<TRow, Named?> value) => Add(new(code, header, ColumnKind.Code), r => value(r));
    public ReportTableBuilder<TRow> Count(string code, string header, Func<TRow, long?> value) => Add(new(code, header, ColumnKind.Count), r => value(r));
    public ReportTableBuilder<TRow> Percent(string code, string header, Func<TRow, double?> value) => Add(new(code, header, ColumnKind.Percent), r => value(r));
    public ReportTableBuilder<TRow> Money(string code, string header, Func<TRow, decimal?> value) => Add(new(code, header, ColumnKind.Money), r => value(r));
    public ReportTableBuilder<TRow> Date(string code, string header, Func<TRow, DateTime?> value) => Add(new(code, header, ColumnKind.Date), r => value(r));
    public ReportTableBuilder<TRow> Flag(string code, string header, Func<TRow, bool?> value) => Add(new(code, header, ColumnKind.Flag), r => value(r));

    public ReportTableBuilder<TRow> Number(string code, string header, Func<TRow, double?> value, string rawFormat, string shownFormat) =>
        Add(new(code, header, ColumnKind.Number, rawFormat, shownFormat), r => value(r));

    /// <summary>The table with these rows, then any <paramref name="extra"/> rows given cell by cell (a total, a remainder).</summary>
    public ReportTable Build(IEnumerable<TRow> rows, params object?[][] extra) =>
        new(title, columns.Select(c => c.Column).ToList(), rows.Select(r => columns.Select(c => c.Value(r)).ToArray()).Concat(extra).ToList());
}

/// <summary>How a report's table names things for people: in the request's language.</summary>
public sealed class ReportWords(IStringLocalizer text)
{
    /// <summary>Headers only (the analysts' CSV, a test): every name as it is, in English.</summary>
    public static readonly ReportWords Untranslated = new(new UntranslatedText());

    public bool Chinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);

    public string this[string name] => text[name].Value;

    /// <summary>A name kept in both languages (a root cause, a remedy), as the page shows it.</summary>
    public string Local(string name, string nameZh) => Chinese && nameZh.Length > 0 ? nameZh : name;

    /// <summary>A name people typed, kept in both languages (a root cause, a remedy): English for analysts, as the page shows it for people.</summary>
    public Named Name(string name, string nameZh) => new(name, Local(name, nameZh), Typed: true);

    /// <summary>A code and its label from the shared resource.</summary>
    public Named Code(string code, string label) => new(code, text[label].Value);

    private sealed class UntranslatedText : IStringLocalizer
    {
        public LocalizedString this[string name] => new(name, name, resourceNotFound: true);
        public LocalizedString this[string name, params object[] arguments] => new(name, string.Format(CultureInfo.InvariantCulture, name, arguments), true);
        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => [];
    }
}
