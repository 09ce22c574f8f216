using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CsvHelper;

namespace Desk.Web.Features.Orders;

/// <summary>
/// A shop's order export, read record by record (CsvHelper's streaming reader: 64 KB at a time, however large the file).
/// <para>
/// The first row names the columns: <c>email</c>, <c>external_ref</c>, <c>date</c>, <c>amount</c> are required;
/// <c>product</c>, <c>category</c> and <c>name</c> (the customer's, used when the desk does not know them yet) are
/// optional. Names are matched without case, spaces, underscores, hyphens or dots, and a few aliases are taken (see
/// <see cref="Aliases"/>); other columns are ignored. The separator (comma, semicolon, tab or |) is detected; UTF-8,
/// with or without a byte order mark. Rows are numbered as a spreadsheet shows them: the header is row 1.
/// </para>
/// </summary>
public sealed class OrderCsv : IAsyncDisposable
{
    /// <summary>The names a column may have, after <see cref="Key"/>. The first of each is the documented one.</summary>
    public static readonly IReadOnlyDictionary<OrderField, string[]> Aliases = new Dictionary<OrderField, string[]>
    {
        [OrderField.Email] = ["email", "customeremail", "emailaddress", "customeremailaddress", "mail", "邮箱", "电子邮箱", "客户邮箱"],
        [OrderField.ExternalRef] = ["externalref", "externalreference", "reference", "ref", "orderref", "orderreference", "orderid",
            "ordernumber", "orderno", "order", "订单号", "订单编号"],
        [OrderField.PlacedAt] = ["date", "placedat", "orderdate", "orderedat", "placed", "createdat", "日期", "下单时间", "下单日期", "订单日期"],
        [OrderField.Amount] = ["amount", "total", "ordertotal", "totalamount", "value", "金额", "订单金额"],
        [OrderField.Product] = ["product", "productname", "item", "产品", "商品"],
        [OrderField.Category] = ["category", "productcategory", "类别", "分类", "品类"],
        [OrderField.Name] = ["name", "customername", "姓名", "客户姓名"],
    };

    /// <summary>The documented header names, in order.</summary>
    public static readonly IReadOnlyDictionary<OrderField, string> DocumentedNames = new Dictionary<OrderField, string>
    {
        [OrderField.Email] = "email", [OrderField.ExternalRef] = "external_ref", [OrderField.PlacedAt] = "date",
        [OrderField.Amount] = "amount", [OrderField.Product] = "product", [OrderField.Category] = "category", [OrderField.Name] = "name",
    };

    private static readonly OrderField[] Required = [OrderField.Email, OrderField.ExternalRef, OrderField.PlacedAt, OrderField.Amount];

    private readonly CsvReader _reader;
    private readonly Dictionary<OrderField, int> _columns = [];
    private readonly ConcurrentDictionary<long, bool> _malformedRows = new(); // reported by the scanner, which runs ahead of the reader
    private int _headerWidth;

    private OrderCsv(Stream stream)
    {
        _reader = CsvReader.Create(stream, CsvReaderOptions.Default with
        {
            HasHeader = true,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            AllowLineBreaksInQuotes = true,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = record => _malformedRows[record.RecordNumber] = true,
        }, leaveOpen: true);
    }

    /// <summary>Problems with the file as a whole (no header, missing or doubled columns); when there are any, there are no lines.</summary>
    public IReadOnlyList<OrderRowError> FileErrors { get; private set; } = [];

    /// <summary>Each field's column as the file names it, for error messages.</summary>
    public IReadOnlyDictionary<OrderField, string> ColumnNames { get; private set; } = new Dictionary<OrderField, string>();

    /// <summary>Columns the desk does not read.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; private set; } = [];

    /// <summary>The column an error names: the file's own header when it has one, else the documented name.</summary>
    public string ColumnName(OrderField field) => ColumnNames.TryGetValue(field, out var name) ? name : DocumentedNames[field];

    /// <summary>Reads the header (the stream stays open: the caller owns it).</summary>
    public static async Task<OrderCsv> OpenAsync(Stream stream, CancellationToken ct = default)
    {
        var csv = new OrderCsv(stream);
        await csv.ReadHeaderAsync(ct);
        return csv;
    }

    private async Task ReadHeaderAsync(CancellationToken ct)
    {
        await _reader.ReadHeaderAsync(ct);
        var headers = _reader.Headers;
        var errors = new List<OrderRowError>();
        if (headers.Count == 0 || headers.All(string.IsNullOrWhiteSpace))
        {
            FileErrors = [new(1, null, new("The file is empty."), new("Export the orders with a header row: email, external_ref, date, amount, product, category."))];
            return;
        }
        var names = new Dictionary<OrderField, string>();
        var ignored = new List<string>();
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i].Trim();
            var key = Key(header);
            var field = Aliases.Where(a => a.Value.Contains(key)).Select(a => (OrderField?)a.Key).FirstOrDefault();
            if (field is null)
            {
                if (header.Length > 0) ignored.Add(header);
                continue;
            }
            if (_columns.ContainsKey(field.Value))
            {
                errors.Add(new(1, field, new("Two columns mean the same: \"{0}\" and \"{1}\".", names[field.Value], header),
                    new("Keep one of them.")));
                continue;
            }
            _columns[field.Value] = i;
            names[field.Value] = header;
        }
        _headerWidth = headers.Count;
        ColumnNames = names;
        IgnoredColumns = ignored;
        foreach (var field in Required.Where(f => !_columns.ContainsKey(f)))
            errors.Add(new(1, field, new("The header has no column for this."),
                new("Name the columns in the first row: email, external_ref, date, amount, and optionally product, category, name.")));
        FileErrors = errors;
    }

    /// <summary>The file's orders, one line per record; none when the file itself is wrong (see <see cref="FileErrors"/>).</summary>
    public async IAsyncEnumerable<OrderLine> LinesAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        if (FileErrors.Count > 0)
        {
            // The errors travel as the first line's own, so that the import refuses the file and lists them with the rest.
            yield return OrderLine.Problems(FileErrors);
            yield break;
        }
        var any = false;
        while (await _reader.ReadAsync(ct))
        {
            any = true;
            var row = _reader.RowNumber + 1; // the header is row 1
            List<OrderRowError>? errors = null;
            if (_malformedRows.TryRemove(row, out _))
                (errors ??= []).Add(new(row, null, new("A quote in this row is not closed, or stands in the middle of a value."),
                    new("Put values in double quotes as a whole, and write a quote inside a value as two (\"\").")));
            if (_reader.FieldCount != _headerWidth)
                (errors ??= []).Add(new(row, null, new("This row has {0} values; the header has {1} columns.", _reader.FieldCount, _headerWidth),
                    new("Put values that contain the separator (a comma in 1,299.90 or in a product name) in double quotes.")));
            yield return new OrderLine(row, Field(OrderField.Email), Field(OrderField.Name), Field(OrderField.ExternalRef),
                Field(OrderField.PlacedAt), Field(OrderField.Amount), Field(OrderField.Product), Field(OrderField.Category), errors);
        }
        if (!any)
            yield return OrderLine.Problems([new(2, null, new("The file has no orders below its header."), new("Check that this is the right export."))]);
    }

    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    /// <summary>How a header is compared: lower case, without spaces, underscores, hyphens and dots.</summary>
    public static string Key(string header) =>
        string.Concat(header.Trim().ToLowerInvariant().Where(c => c is not (' ' or '_' or '-' or '.')));

    private string? Field(OrderField field) =>
        _columns.TryGetValue(field, out var index) && index < _reader.FieldCount ? _reader.GetString(index) : null;
}
