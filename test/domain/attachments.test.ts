import { refuseNamedFiles, type NamedFile } from '../../domain/attachments';

/** The one check a submission's and a stage action's files pass (the API's claim, the admission). */
describe('refuseNamedFiles', () => {
  const file = (id: string, over: Partial<NamedFile> = {}): NamedFile => ({
    id,
    uploaderId: 'clerk',
    caseId: null,
    state: 'stored',
    recorded: false,
    ...over,
  });
  const files = new Map(
    [
      file('pending'),
      file('claimed-here', { caseId: 'case-1' }),
      file('recorded-here', { caseId: 'case-1', recorded: true }),
      file('recorded-elsewhere', { caseId: 'case-2', recorded: true }),
      file('claimed-elsewhere', { caseId: 'case-2' }),
      file('someone-elses', { uploaderId: 'secretary' }),
      file('removed', { caseId: 'case-1', state: 'removed', recorded: true }),
      file('uploading', { state: 'uploading' }),
    ].map((f) => [f.id, f]),
  );

  test.each([
    [['pending'], null],
    [['claimed-here'], null], // a retried request claims its own files again
    [['pending', 'claimed-here'], null],
    [['pending', 'pending'], 'attachments: file "pending" is named twice'],
    [['nobody-uploaded-this'], 'attachments: "nobody-uploaded-this" is not a file you uploaded'],
    [['someone-elses'], 'attachments: "someone-elses" is not a file you uploaded'],
    [['recorded-here'], 'attachments: file "recorded-here" is already attached to this case'],
    [['recorded-elsewhere'], 'attachments: file "recorded-elsewhere" is already attached to another case'],
    [['claimed-elsewhere'], 'attachments: file "claimed-elsewhere" is being attached to another case'],
    [['removed'], 'attachments: file "removed" was removed'],
    [['uploading'], 'attachments: file "uploading" has not finished uploading'],
    [['pending', 'someone-elses'], 'attachments: "someone-elses" is not a file you uploaded'],
  ])('%j → %s', (ids, expected) => {
    expect(refuseNamedFiles(ids, files, 'clerk', 'case-1')).toBe(expected);
  });
});
