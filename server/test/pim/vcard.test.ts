import { describe, expect, it } from 'vitest';
import { PimPrecondition } from '../../src/errors.js';
import { loadIcal } from '../../src/pim/ical.js';
import { contactFieldsOf, newVCard, parseVCard, patchVCard } from '../../src/pim/vcard.js';
import { ANDROID_VCARD, IOS_VCARD, THUNDERBIRD_VCARD } from './fixtures.js';

const ical = await loadIcal();
const fieldsOf = (text: string) => contactFieldsOf(parseVCard(ical, text));

describe('vCard to structured fields', () => {
  it('reads an iOS card: names, labelled emails, phones, address, birthday, organisation, photo, groups', () => {
    const fields = fieldsOf(IOS_VCARD);
    expect(fields).toMatchObject({
      uid: '8D3C1F0A-1B2C-4D5E-9F00-ABCDEF123456',
      fullname: 'Dr. Jean Marie Dupont',
      name: { familyName: 'Dupont', givenName: 'Jean', additionalNames: 'Marie', prefix: 'Dr.' },
      emails: [
        { address: 'jean@example.com', types: ['internet'], pref: true, label: '_$!<Other>!$_' },
        { address: 'jean.dupont@acme.example', types: ['internet', 'work'] },
      ],
      phones: [{ number: '+33 6 12 34 56 78', types: ['cell', 'voice'], pref: true }],
      addresses: [
        {
          street: '12 rue de la Paix',
          locality: 'Paris',
          postalCode: '75002',
          country: 'France',
          types: ['home'],
          pref: true,
        },
      ],
      birthday: '1980-04-12',
      org: 'ACME',
      department: 'R&D',
      title: 'Chief Tinkerer',
      note: 'Met at the conference\nLikes coffee, not tea',
      groups: ['Friends', 'Work'],
      custom: [
        { name: 'X-SOCIALPROFILE', value: 'https://x.com/jeand' },
        { name: 'X-ABSHOWAS', value: 'PERSON' },
      ],
    });
    expect(fields.photo).toMatch(/^data:image\/jpeg;base64,\/9j\/4AAQ/);
  });

  it('reads an Android card with accents and a Thunderbird 4.0 card with a year-less birthday', () => {
    expect(fieldsOf(ANDROID_VCARD)).toMatchObject({
      fullname: 'Amélie Poulain',
      name: { familyName: 'Poulain', givenName: 'Amélie' },
      phones: [{ number: '+33 7 00 00 00 01', types: ['cell'] }],
      custom: [{ name: 'X-PHONETIC-FIRST-NAME', value: 'a-me-li' }],
    });
    const tb = fieldsOf(THUNDERBIRD_VCARD);
    expect(tb.birthday).toBe('--02-29');
    expect(tb.photo).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(tb.emails).toEqual([{ address: 'zoe@example.net', pref: true }]);
  });

  it('refuses text that is not one vCard, as valid-address-data', () => {
    for (const text of [
      'hello',
      'BEGIN:VCARD\r\nFN:x\r\n',
      'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
      'BEGIN:VCARD\r\nFN:x\r\nEND:VCARD\r\n',
    ]) {
      const error = (() => {
        try {
          parseVCard(ical, text);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(PimPrecondition);
      expect((error as PimPrecondition).condition).toEqual({
        namespace: 'urn:ietf:params:xml:ns:carddav',
        name: 'valid-address-data',
      });
    }
  });
});

describe('structured fields back into a vCard', () => {
  it('leaves the card as it was when nothing changed', () => {
    const card = parseVCard(ical, IOS_VCARD);
    const before = card.toString();
    patchVCard(ical, card, fieldsOf(IOS_VCARD));
    expect(card.toString()).toBe(before);
  });

  it('replaces only a changed field, keeping unknown properties, groups and the photo', () => {
    const card = parseVCard(ical, IOS_VCARD);
    const fields = fieldsOf(IOS_VCARD);
    patchVCard(ical, card, {
      ...fields,
      note: 'Now prefers tea',
      phones: [{ number: '+33 1 00 00 00 00', types: ['work'] }],
    });
    const text = card.toString();
    expect(text).toContain('NOTE:Now prefers tea');
    expect(text).toContain('TEL;TYPE=work:+33 1 00 00 00 00');
    expect(text).not.toContain('+33 6 12 34 56 78');
    for (const kept of [
      'ITEM3.URL',
      'X-ABSHOWAS:PERSON',
      'ITEM2.X-ABADR:fr',
      'REV:',
      'PHOTO;ENCODING=b;TYPE=JPEG',
      'ITEM1.EMAIL',
    ]) {
      expect(text).toContain(kept);
    }
    const again = fieldsOf(`${text}\r\n`);
    expect(again).toEqual({
      ...fields,
      note: 'Now prefers tea',
      phones: [{ number: '+33 1 00 00 00 00', types: ['work'] }],
    });
  });

  it('moves labels with the entries they name when emails change', () => {
    const card = parseVCard(ical, IOS_VCARD);
    const fields = fieldsOf(IOS_VCARD);
    patchVCard(ical, card, { ...fields, emails: [{ address: 'new@example.com', label: 'Club' }] });
    const text = card.toString();
    expect(text).not.toContain('_$!<Other>!$_');
    expect(text).toContain('_$!<HomePage>!$_');
    expect(fieldsOf(`${text}\r\n`).emails).toEqual([{ address: 'new@example.com', label: 'Club' }]);
  });

  it('writes custom X- fields an app adds, and removes those it drops', () => {
    const card = parseVCard(ical, ANDROID_VCARD);
    patchVCard(ical, card, {
      ...fieldsOf(ANDROID_VCARD),
      custom: [{ name: 'X-NUAGE-SHOE-SIZE', value: '42' }],
    });
    const text = card.toString();
    expect(text).toContain('X-NUAGE-SHOE-SIZE:42');
    expect(text).not.toContain('X-PHONETIC-FIRST-NAME');
    expect(text).toContain('IMPP:xmpp:amelie@jabber.example');
  });

  it('makes a vCard 3.0 from fields alone, with FN and N, that reads back the same', () => {
    const fields = {
      uid: 'app-made-1',
      name: { familyName: 'Curie', givenName: 'Marie' },
      emails: [{ address: 'marie@example.org', types: ['home'] }],
      birthday: '1867-11-07',
      photo: 'data:image/png;base64,iVBORw0KGgo=',
      groups: ['Science'],
    };
    const text = `${newVCard(ical, fields, '-//Nuage//EN').toString()}\r\n`;
    expect(text).toMatch(/^BEGIN:VCARD\r\nVERSION:3\.0\r\n/);
    expect(text).toContain('FN:Marie Curie');
    expect(text).toContain('PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo=');
    expect(fieldsOf(text)).toEqual({ ...fields, fullname: 'Marie Curie' });
  });
});
