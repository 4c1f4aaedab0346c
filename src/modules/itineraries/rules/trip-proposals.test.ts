import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../../../errors.js';
import type { XmlNode } from '../../../xml/document.js';
import { isProposalStatus, validateProposal } from './trip-proposals.js';

/** One CustomAttribute as the reader produces it (empty elements are absent). */
function attribute(name: string, data: string, extra: XmlNode = {}): XmlNode {
  return { DataType: 'Numeric', Name: name, Data: data, DisplayOnItinerary: 'true', ...extra };
}

/** The docs' TripStatus 7 sample, reduced to what the rules read. */
function sampleLike(overrides: XmlNode = {}, attributes?: XmlNode[]): XmlNode {
  const items = attributes ?? [
    attribute('ProposalBatchSize', '3'),
    attribute('ProposalSequenceIndex', '1'),
  ];
  return {
    ClientLocator: 'KK-CNQ-1M1P6-5HJ',
    TripName: 'Trip from Dallas to Seattle',
    TripStatus: '7',
    TravelRequestId: '3339',
    CustomAttributes: items.map((node) => ({ element: 'CustomAttribute', node })),
    ...overrides,
  };
}

/** The AppError `validateProposal` throws for `itinerary`. */
function refusal(itinerary: XmlNode): AppError {
  try {
    validateProposal(itinerary);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const batch = '[Name=ProposalBatchSize]';
const sequence = '[Name=ProposalSequenceIndex]';

describe('isProposalStatus', () => {
  it('is true for 6 and 7 only', () => {
    expect(['6', '7', '07', ' 6 '].map(isProposalStatus)).toEqual([true, true, true, true]);
    expect(['0', '1', '2', '255', 'HK', '', undefined].map(isProposalStatus)).toEqual(
      Array(7).fill(false),
    );
  });
});

describe('validateProposal', () => {
  it('accepts the TripStatus 7 sample although it lacks AutoSelectProposal and TicketIssued', () => {
    expect(() => validateProposal(sampleLike())).not.toThrow();
    expect(() => validateProposal(sampleLike({ TripStatus: '6' }))).not.toThrow();
  });

  it('ignores trips that are not proposals', () => {
    expect(() => validateProposal({ TripName: 'x', TripStatus: '0' })).not.toThrow();
    expect(() => validateProposal({ TripName: 'x' })).not.toThrow();
  });

  it('accepts every documented value', () => {
    for (const size of ['1', '2', '3']) {
      const attributes = [
        attribute('ProposalBatchSize', size),
        attribute('ProposalSequenceIndex', size),
        attribute('AutoSelectProposal', 'True', { DataType: 'Text' }),
        attribute('TicketIssued', 'false', { DataType: 'Text' }),
      ];
      expect(() => validateProposal(sampleLike({}, attributes))).not.toThrow();
    }
  });

  const cases: { name: string; itinerary: XmlNode; code: ErrorCode; field: string }[] = [
    {
      name: 'no ClientLocator',
      itinerary: sampleLike({ ClientLocator: ' ' }),
      code: ErrorCode.MissingField,
      field: 'Itinerary/ClientLocator',
    },
    {
      name: 'no TravelRequestId',
      itinerary: (() => {
        const { TravelRequestId: _, ...rest } = sampleLike();
        return rest;
      })(),
      code: ErrorCode.MissingField,
      field: 'Itinerary/TravelRequestId',
    },
    {
      name: 'no ProposalBatchSize',
      itinerary: sampleLike({}, [attribute('ProposalSequenceIndex', '1')]),
      code: ErrorCode.MissingField,
      field: `CustomAttribute${batch}`,
    },
    {
      name: 'no ProposalSequenceIndex',
      itinerary: sampleLike({}, [attribute('ProposalBatchSize', '1')]),
      code: ErrorCode.MissingField,
      field: `CustomAttribute${sequence}`,
    },
    ...['0', '4', '1.5', 'x', ''].map((data) => ({
      name: `ProposalBatchSize ${JSON.stringify(data)}`,
      itinerary: sampleLike({}, [
        attribute('ProposalBatchSize', data),
        attribute('ProposalSequenceIndex', '1'),
      ]),
      code: ErrorCode.InvalidValue,
      field: `${batch}/Data`,
    })),
    {
      name: 'ProposalSequenceIndex 4',
      itinerary: sampleLike({}, [
        attribute('ProposalBatchSize', '3'),
        attribute('ProposalSequenceIndex', '4'),
      ]),
      code: ErrorCode.InvalidValue,
      field: `${sequence}/Data`,
    },
    {
      name: 'AutoSelectProposal Yes',
      itinerary: sampleLike({}, [
        attribute('ProposalBatchSize', '3'),
        attribute('ProposalSequenceIndex', '1'),
        attribute('AutoSelectProposal', 'Yes'),
      ]),
      code: ErrorCode.InvalidValue,
      field: '[Name=AutoSelectProposal]/Data',
    },
    {
      name: 'TicketIssued empty',
      itinerary: sampleLike({}, [
        attribute('ProposalBatchSize', '3'),
        attribute('ProposalSequenceIndex', '1'),
        attribute('TicketIssued', ''),
      ]),
      code: ErrorCode.InvalidValue,
      field: '[Name=TicketIssued]/Data',
    },
    {
      name: 'DisplayOnItinerary false',
      itinerary: sampleLike({}, [
        attribute('ProposalBatchSize', '3', { DisplayOnItinerary: 'false' }),
        attribute('ProposalSequenceIndex', '1'),
      ]),
      code: ErrorCode.InvalidValue,
      field: `${batch}/DisplayOnItinerary`,
    },
    {
      name: 'DisplayOnItinerary absent',
      itinerary: sampleLike({}, [
        attribute('ProposalBatchSize', '3'),
        { Name: 'ProposalSequenceIndex', Data: '1' },
      ]),
      code: ErrorCode.InvalidValue,
      field: `${sequence}/DisplayOnItinerary`,
    },
    {
      name: 'a DisplayTitle',
      itinerary: sampleLike({}, [
        attribute('ProposalBatchSize', '3', { DisplayTitle: 'Batch' }),
        attribute('ProposalSequenceIndex', '1'),
      ]),
      code: ErrorCode.InvalidValue,
      field: `${batch}/DisplayTitle`,
    },
    {
      name: 'an ExternalId',
      itinerary: sampleLike({}, [
        attribute('ProposalBatchSize', '3'),
        attribute('ProposalSequenceIndex', '1', { ExternalId: '12' }),
      ]),
      code: ErrorCode.InvalidValue,
      field: `${sequence}/ExternalId`,
    },
    {
      name: 'ProposalBatchSize twice',
      itinerary: sampleLike({}, [
        attribute('ProposalBatchSize', '3'),
        attribute('ProposalBatchSize', '2'),
        attribute('ProposalSequenceIndex', '1'),
      ]),
      code: ErrorCode.InvalidValue,
      field: `CustomAttribute${batch}`,
    },
  ];

  for (const { name, itinerary, code, field } of cases) {
    it(`refuses a proposal with ${name}, naming ${field}`, () => {
      const error = refusal(itinerary);
      expect(error.httpStatus).toBe(400);
      expect(error.code).toBe(code);
      expect(error.message).toContain(field);
    });
  }
});
