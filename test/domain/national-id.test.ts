import { makeNationalId, maskNationalId, nationalIdFacts, nationalIdProblem } from '../../domain/national-id';

describe('national ID numbers', () => {
  test.each([
    // The GB 11643 example number.
    ['11010519491231002X', null],
    ['110105194912310021', 'has a wrong check character'],
    ['11010519490231002X', 'contains an invalid birth date'],
    ['1101051949123100', 'must be 17 digits followed by a digit or X'],
    ['11010519491231002x', 'must be 17 digits followed by a digit or X'],
  ])('%s → %s', (id, problem) => {
    expect(nationalIdProblem(id)).toBe(problem);
  });

  test('generated numbers are valid and encode birth date and gender', () => {
    const id = makeNationalId('320106', '2000-02-29', 17, 'female');
    expect(nationalIdProblem(id)).toBeNull();
    expect(nationalIdFacts(id)).toEqual({ birthDate: '2000-02-29', gender: 'female' });
    expect(nationalIdFacts(makeNationalId('320106', '1980-01-01', 3, 'male')).gender).toBe('male');
  });

  test('masking keeps only the region code and the last four characters', () => {
    expect(maskNationalId('11010519491231002X')).toBe('110105********002X');
    expect(maskNationalId('123')).toBe('***');
  });
});
