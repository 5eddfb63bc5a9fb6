import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

/** What a report file is served as. */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/**
 * A CSV file as a byte stream, made as it is read: a UTF-8 byte order mark first (without it,
 * Excel reads UTF-8 as the machine's legacy code page and Arabic comes out garbled), the header
 * row, then `rows`, pulled one at a time as the reader asks (backpressure reaches the producer,
 * so a slow storage slows the database reads instead of filling memory). RFC 4180: CRLF between
 * records, fields with a comma, quote or line break quoted. An error of `rows` fails the stream.
 */
export function csvStream(headers: string[], rows: AsyncIterable<Array<string | number>>): Readable {
  const stringifier = stringify({
    bom: true,
    header: true,
    columns: headers,
    record_delimiter: 'windows',
    // A lone LF inside a field is a line break to spreadsheet programs too; csv-stringify quotes only on the delimiter itself.
    quoted_match: /[\r\n]/,
  });
  // The error reaches whoever reads the stringifier (pipeline destroys it with the error).
  return pipeline(Readable.from(rows), stringifier, () => undefined);
}
