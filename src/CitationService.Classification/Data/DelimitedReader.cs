using System.Text;

namespace CitationService.Classification.Data;

/// <summary>RFC 4180-style reader: quoted fields, doubled quotes, embedded newlines; any one-character delimiter.</summary>
public static class DelimitedReader
{
    public static List<string[]> Read(string path, char delimiter)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var fieldStarted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    field.Append(c);
                }
                continue;
            }
            if (c == '"' && !fieldStarted)
            {
                inQuotes = true;
                fieldStarted = true;
            }
            else if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
                fieldStarted = false;
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                fields.Add(field.ToString());
                field.Clear();
                fieldStarted = false;
                if (fields.Count > 1 || fields[0].Length > 0)
                {
                    rows.Add([.. fields]);
                }
                fields.Clear();
            }
            else
            {
                field.Append(c);
                fieldStarted = true;
            }
        }
        if (fieldStarted || fields.Count > 0)
        {
            fields.Add(field.ToString());
            rows.Add([.. fields]);
        }
        return rows;
    }
}
