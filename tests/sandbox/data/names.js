// Swedish names, weighted towards the common ones, with enough å/ä/ö to exercise text comparison.

/** @type {readonly string[]} */
export const FEMALE = [
  'Anna', 'Eva', 'Maria', 'Karin', 'Kristina', 'Lena', 'Sara', 'Emma', 'Ingrid', 'Elin', 'Åsa', 'Märta',
  'Linnéa', 'Ebba', 'Maja', 'Sofia', 'Hanna', 'Johanna', 'Ulla', 'Birgitta', 'Margareta', 'Elisabeth',
  'Cecilia', 'Malin', 'Ida', 'Agnes', 'Astrid', 'Saga', 'Tove', 'Ylva', 'Gunilla', 'Annika', 'Helén',
  'Louise', 'Charlotte', 'Katarina', 'Frida', 'Moa', 'Jenny', 'Therése', 'Anna-Karin', 'Eva-Lena', 'Britt-Marie',
  'Yasmin', 'Fatima', 'Aleksandra', 'Mirja', 'Sanna', 'Wilma', 'Alva', 'Siv', 'Gun', 'Solveig', 'Kerstin',
];

/** @type {readonly string[]} */
export const MALE = [
  'Lars', 'Anders', 'Johan', 'Per', 'Erik', 'Karl', 'Mikael', 'Björn', 'Göran', 'Örjan', 'Håkan', 'Jörgen',
  'Sören', 'Pär', 'Måns', 'Nils', 'Olof', 'Gustav', 'Oskar', 'Axel', 'Viktor', 'Emil', 'Jonas', 'Magnus',
  'Fredrik', 'Mattias', 'Stefan', 'Thomas', 'Ulf', 'Bengt', 'Sven', 'Åke', 'Lennart', 'Leif', 'Kjell',
  'Tobias', 'Henrik', 'Daniel', 'Per-Olof', 'Jan-Erik', 'Ahmed', 'Mehmet', 'Nikola', 'Stig', 'Torbjörn',
  'Joel', 'Elias', 'Hugo', 'Ludvig', 'Rasmus', 'Göte', 'Bo', 'Rune', 'Kent',
];

/** @type {readonly string[]} */
export const FAMILY = [
  'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson',
  'Gustafsson', 'Pettersson', 'Jonsson', 'Jansson', 'Hansson', 'Bengtsson', 'Jönsson', 'Lindberg', 'Jakobsson',
  'Magnusson', 'Olofsson', 'Lindström', 'Lindqvist', 'Lindgren', 'Berg', 'Axelsson', 'Bergström', 'Lundberg',
  'Lind', 'Lundgren', 'Lundqvist', 'Mattsson', 'Berglund', 'Fredriksson', 'Sandberg', 'Henriksson', 'Forsberg',
  'Sjöberg', 'Wallin', 'Engström', 'Eklund', 'Danielsson', 'Lundin', 'Håkansson', 'Björk', 'Bergman',
  'Gunnarsson', 'Holm', 'Wikström', 'Samuelsson', 'Isaksson', 'Fransson', 'Bergqvist', 'Nyström', 'Holmberg',
  'Arvidsson', 'Löfgren', 'Söderberg', 'Nyberg', 'Blomqvist', 'Claesson', 'Nordström', 'Åberg', 'Öberg',
  'Ström', 'Hedlund', 'Sundberg', 'Åkesson', 'Söderström', 'Ekström', 'Holmgren', 'Hägglund', 'Östlund',
  'Björklund', 'Sjögren', 'Nordin', 'Strömberg', 'Ågren', 'Dahlén', 'Yilmaz', 'Nguyen', 'Ali', 'Kovačević',
];

/** Formal name as Huma has it → the short form payroll kept (a planted givenName conflict). */
/** @type {readonly (readonly [string, string])[]} */
export const NICKNAMES = [
  ['Charlotte', 'Lotta'], ['Margareta', 'Maggan'], ['Elisabeth', 'Lisa'], ['Per-Olof', 'Pelle'],
  ['Katarina', 'Kattis'], ['Kristoffer', 'Kristo'], ['Fredrik', 'Fredde'], ['Jan-Erik', 'Janne'],
];

/** Given names with å/ä/ö, for the NFD/NFC planted case. */
/** @type {readonly string[]} */
export const DIACRITIC_GIVEN = ['Åsa', 'Märta', 'Björn', 'Göran', 'Örjan', 'Sören', 'Håkan', 'Jörgen'];

/**
 * The local part of an e-mail address made from a name: lowercase ASCII, å/ä → a, ö → o, é → e,
 * spaces dropped, hyphens kept (anna-karin.öberg → anna-karin.oberg).
 * @param {string} s
 */
export function asciiLocal(s) {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '');
}
