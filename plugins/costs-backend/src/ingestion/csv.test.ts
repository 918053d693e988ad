import { CsvParser, CsvSyntaxError, parseCsv, readCsvRecords } from './csv';

describe('parseCsv', () => {
  it('reads plain records with their line numbers', () => {
    expect(parseCsv('a,b,c\r\n1,2,3\r\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
    ]);
  });

  it('accepts LF, a last record without newline and empty fields', () => {
    expect(parseCsv('a,,c\n,2,\n3')).toEqual([
      { line: 1, fields: ['a', '', 'c'] },
      { line: 2, fields: ['', '2', ''] },
      { line: 3, fields: ['3'] },
    ]);
  });

  it('unquotes fields holding commas, escaped quotes and newlines', () => {
    const records = parseCsv(
      'id,tags\r\n1,"{""team"":""a,b""}"\r\n2,"multi\r\nline"\r\n3,""\r\n',
    );
    expect(records).toEqual([
      { line: 1, fields: ['id', 'tags'] },
      { line: 2, fields: ['1', '{"team":"a,b"}'] },
      { line: 3, fields: ['2', 'multi\r\nline'] },
      // the record after a two-line field starts on line 5
      { line: 5, fields: ['3', ''] },
    ]);
  });

  it('drops a byte order mark and skips blank lines', () => {
    expect(parseCsv('\uFEFFa,b\r\n\r\n1,2\r\n\r\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['1', '2'] },
    ]);
  });

  it('rejects a quote inside an unquoted field, naming the line', () => {
    expect(() => parseCsv('a,b\n1,x"y\n')).toThrow(
      new CsvSyntaxError(
        2,
        'a quote inside an unquoted field; quote the whole field and double the quote',
      ),
    );
  });

  it('rejects text after a closing quote', () => {
    expect(() => parseCsv('a\n"x"y\n')).toThrow(/line 2: unexpected 'y'/);
  });

  it('rejects a quoted field that never ends, naming where it started', () => {
    let error: unknown;
    try {
      parseCsv('a,b\n1,2\n3,"open\nstill open\n');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect((error as CsvSyntaxError).line).toBe(3);
  });
});

describe('CsvParser chunking', () => {
  const text = 'a,"b ""q"""\r\n"x\r\ny",z\r\nlast,row';

  it('gives the same records however the input is split', () => {
    const whole = parseCsv(text);
    for (let size = 1; size <= text.length; size += 1) {
      const parser = new CsvParser();
      const records = [];
      for (let i = 0; i < text.length; i += size) {
        records.push(...parser.push(text.slice(i, i + size)));
      }
      records.push(...parser.end());
      expect(records).toEqual(whole);
    }
    expect(whole).toEqual([
      { line: 1, fields: ['a', 'b "q"'] },
      { line: 2, fields: ['x\r\ny', 'z'] },
      { line: 4, fields: ['last', 'row'] },
    ]);
  });

  it('streams records from async chunks', async () => {
    async function* chunks() {
      yield 'a,b\r';
      yield '\n1,2';
    }
    const records = [];
    for await (const record of readCsvRecords(chunks())) {
      records.push(record);
    }
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });
});
