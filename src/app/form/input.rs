//! The inputs a form is made of, each with a typed value: text, date text (parsed by
//! the service, so both faces refuse a bad date alike), a choice of a known list,
//! yes/no, and ticks over a list. A form's fields are a struct of these (see
//! [`fields!`](super::fields)), so what a form holds is checked by the compiler.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_textarea::TextArea;

/// One field as the form shell and the drawing see it, whatever its value's type.
pub trait Input: std::fmt::Debug {
    fn label(&self) -> &'static str;
    /// A short hint shown under the form while the field has focus.
    fn hint(&self) -> &'static str;
    /// Rows the field needs on screen.
    fn height(&self) -> u16;
    /// A key not bound by the keymap; true if it moves on to the next field.
    fn key(&mut self, key: KeyEvent) -> bool;
    /// What to draw.
    fn view(&self) -> View<'_>;
    /// Takes the value of `other`, the same field of this form built at another
    /// time (after a conflicting save: theirs, or yours back).
    fn take(&mut self, other: &dyn Input);
    fn as_any(&self) -> &dyn std::any::Any;
    /// Ctrl-U: empties a text field (undoable with the textarea's undo); other
    /// inputs keep their value.
    fn clear(&mut self) {}
    /// What the last key did, when it is worth saying under the form (a choice
    /// jumped to an option, or found none for the letters typed).
    fn note(&self) -> Option<String> {
        None
    }
}

/// The value an input shows, as text: what is typed, the option chosen, the items
/// ticked (`, `-separated). Two forms' same field are compared by it.
pub fn shown(input: &dyn Input) -> String {
    match input.view() {
        View::Text(t) => t.lines().join("\n"),
        View::Choice(label) => label.unwrap_or("").to_string(),
        View::Checks { options, .. } => {
            options.iter().filter(|(_, on)| *on).map(|(l, _)| *l).collect::<Vec<_>>().join(", ")
        }
    }
}

/// `take` for an input whose `refill_from` copies the value over.
macro_rules! take_by_refill {
    () => {
        fn take(&mut self, other: &dyn Input) {
            if let Some(o) = other.as_any().downcast_ref::<Self>() {
                Part::refill_from(self, o);
            }
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    };
}

/// What an input draws.
pub enum View<'a> {
    /// Text being edited.
    Text(&'a TextArea<'static>),
    /// The chosen option's label (`None`: nothing to choose from).
    Choice(Option<&'a str>),
    /// Options with their ticks, and the one under the cursor.
    Checks { options: Vec<(&'a str, bool)>, cursor: usize },
}

/// A part of a form: one input, or a group of them (the lawful basis, a request's
/// details), with the typed value it holds.
pub trait Part {
    type Value;
    fn value(&self) -> Self::Value;
    /// Its inputs, in the order they are shown.
    fn inputs<'a>(&'a self, out: &mut Vec<&'a dyn Input>);
    fn inputs_mut<'a>(&'a mut self, out: &mut Vec<&'a mut dyn Input>);
    /// Takes over what was typed into the same part of a form built earlier: text is
    /// kept, a choice where its option still exists, ticks where the option still
    /// exists (options new since then start unticked).
    fn refill_from(&mut self, old: &Self);
}

fn area(initial: &str) -> TextArea<'static> {
    let lines: Vec<String> =
        if initial.is_empty() { vec![String::new()] } else { initial.lines().map(String::from).collect() };
    let mut t = TextArea::new(lines);
    t.move_cursor(tui_textarea::CursorMove::Bottom);
    t.move_cursor(tui_textarea::CursorMove::End);
    t
}

/// Free text: one line, or several.
#[derive(Debug, Clone)]
pub struct Text {
    label: &'static str,
    hint: &'static str,
    area: TextArea<'static>,
    several: bool,
}

impl Text {
    /// One line; Enter moves to the next field.
    pub fn line(label: &'static str, initial: &str, hint: &'static str) -> Text {
        Text { label, hint, area: area(initial), several: false }
    }
    /// Several lines; long ones wrap at words rather than scroll out of sight.
    pub fn lines(label: &'static str, initial: &str, hint: &'static str) -> Text {
        let mut area = area(initial);
        area.set_wrap_mode(tui_textarea::WrapMode::WordOrGlyph);
        Text { label, hint, area, several: true }
    }
    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    fn empty(&mut self) {
        self.area.select_all();
        self.area.cut();
    }
}

impl Input for Text {
    fn label(&self) -> &'static str {
        self.label
    }
    fn hint(&self) -> &'static str {
        self.hint
    }
    fn height(&self) -> u16 {
        if self.several { 3 } else { 1 }
    }
    fn key(&mut self, key: KeyEvent) -> bool {
        if self.several {
            self.area.input(key);
            return false;
        }
        if key.code == KeyCode::Enter {
            return true;
        }
        if !(key.code == KeyCode::Char('m') && key.modifiers.contains(KeyModifiers::CONTROL)) {
            self.area.input(key);
        }
        false
    }
    fn view(&self) -> View<'_> {
        View::Text(&self.area)
    }
    fn clear(&mut self) {
        self.empty()
    }
    take_by_refill!();
}

impl Part for Text {
    type Value = String;
    fn value(&self) -> String {
        self.text()
    }
    fn inputs<'a>(&'a self, out: &mut Vec<&'a dyn Input>) {
        out.push(self)
    }
    fn inputs_mut<'a>(&'a mut self, out: &mut Vec<&'a mut dyn Input>) {
        out.push(self)
    }
    fn refill_from(&mut self, old: &Self) {
        self.area = old.area.clone();
    }
}

/// A date as typed (`DD/MM/YYYY`, `YYYY-MM-DD`, `today`…): the service parses it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DateText(pub String);

/// One line holding a date.
#[derive(Debug, Clone)]
pub struct Date(Text);

impl Date {
    pub fn new(label: &'static str, initial: &str, hint: &'static str) -> Date {
        Date(Text::line(label, initial, hint))
    }
}

impl Input for Date {
    fn label(&self) -> &'static str {
        self.0.label()
    }
    fn hint(&self) -> &'static str {
        self.0.hint()
    }
    fn height(&self) -> u16 {
        self.0.height()
    }
    fn key(&mut self, key: KeyEvent) -> bool {
        self.0.key(key)
    }
    fn view(&self) -> View<'_> {
        self.0.view()
    }
    fn clear(&mut self) {
        self.0.empty()
    }
    take_by_refill!();
}

impl Part for Date {
    type Value = DateText;
    fn value(&self) -> DateText {
        DateText(self.0.text())
    }
    fn inputs<'a>(&'a self, out: &mut Vec<&'a dyn Input>) {
        out.push(self)
    }
    fn inputs_mut<'a>(&'a mut self, out: &mut Vec<&'a mut dyn Input>) {
        out.push(self)
    }
    fn refill_from(&mut self, old: &Self) {
        self.0.refill_from(&old.0)
    }
}

/// One of a list: (value, label). Its value is `None` when the list is empty, or
/// while a choice that starts unset ([`Choice::unset`]) has not been made.
#[derive(Debug, Clone)]
pub struct Choice<T> {
    label: &'static str,
    options: Vec<(T, String)>,
    selected: Option<usize>,
    /// The letters typed since the last other key: the start of the option sought.
    typed: String,
    /// What those letters did, said under the form.
    said: Option<String>,
}

/// What an unset choice shows until one is made.
pub const CHOOSE: &str = "— choose —";

impl<T: Clone + PartialEq + std::fmt::Debug> Choice<T> {
    /// The list, with `initial` chosen if it is there (else the first).
    pub fn new(label: &'static str, options: Vec<(T, String)>, initial: Option<&T>) -> Choice<T> {
        let selected = initial.and_then(|v| options.iter().position(|(o, _)| o == v)).unwrap_or(0);
        let selected = (!options.is_empty()).then_some(selected);
        Choice { label, options, selected, typed: String::new(), said: None }
    }

    /// The list with nothing chosen: for an answer that must never be filled in for
    /// the user (a lawful basis, whether a visitor was supervised). Saving it untouched
    /// sends no value, which the service refuses as not answered.
    pub fn unset(label: &'static str, options: Vec<(T, String)>) -> Choice<T> {
        Choice { label, options, selected: None, typed: String::new(), said: None }
    }

    /// As [`Choice::unset`], but with `stored` chosen when the request already has an
    /// answer (a form that amends what was recorded).
    pub fn unset_unless(label: &'static str, options: Vec<(T, String)>, stored: Option<&T>) -> Choice<T> {
        let selected = stored.and_then(|v| options.iter().position(|(o, _)| o == v));
        Choice { label, options, selected, typed: String::new(), said: None }
    }

    pub fn chosen(&self) -> Option<&T> {
        self.selected.and_then(|i| self.options.get(i)).map(|(v, _)| v)
    }

    /// A letter typed: the choice jumps to the first option (from the one chosen on)
    /// whose words start with the letters typed so far, and says so; letters no
    /// option starts with leave the choice as it was, and say that instead. Never a
    /// silent change.
    fn jump(&mut self, c: char) {
        let n = self.options.len();
        let starts = |label: &str, typed: &str| {
            let label = label.to_lowercase();
            label.starts_with(typed) || label.split_whitespace().any(|w| w.starts_with(typed))
        };
        let find = |typed: &str, from: usize, this: bool| {
            let first = usize::from(!this);
            (first..first + n).map(|k| (from + k) % n).find(|i| starts(&self.options[*i].1, typed))
        };
        let from = self.selected.unwrap_or(n - 1);
        let mut typed = format!("{}{}", self.typed, c.to_lowercase());
        // More letters of the same option stay on it; a fresh letter moves on.
        let mut found = if self.typed.is_empty() { find(&typed, from, false) } else { find(&typed, from, true) };
        if found.is_none() && !self.typed.is_empty() {
            typed = c.to_lowercase().to_string();
            found = find(&typed, from, false);
        }
        match found {
            Some(i) => {
                self.selected = Some(i);
                self.said = Some(format!("“{typed}”: {} chosen (←/→ for the others)", self.options[i].1));
                self.typed = typed;
            }
            None => {
                self.said = Some(format!("No option starts with “{typed}”: still as it was; ←/→ to choose"));
                self.typed.clear();
            }
        }
    }
}

impl<T: Clone + PartialEq + std::fmt::Debug + 'static> Input for Choice<T> {
    fn label(&self) -> &'static str {
        self.label
    }
    fn hint(&self) -> &'static str {
        "←/→ choose, or type the start of an option to jump to it"
    }
    fn height(&self) -> u16 {
        1
    }
    fn key(&mut self, key: KeyEvent) -> bool {
        let n = self.options.len();
        if n == 0 {
            return key.code == KeyCode::Enter;
        }
        let typing = matches!(key.code, KeyCode::Char(c) if c != ' ' && !c.is_control());
        if !typing {
            self.typed.clear();
            self.said = None;
        }
        match key.code {
            KeyCode::Right | KeyCode::Char(' ') => self.selected = Some(self.selected.map_or(0, |i| (i + 1) % n)),
            KeyCode::Left => self.selected = Some(self.selected.map_or(n - 1, |i| (i + n - 1) % n)),
            KeyCode::Enter => return true,
            KeyCode::Char(c) if typing => self.jump(c),
            _ => {}
        }
        false
    }
    fn note(&self) -> Option<String> {
        self.said.clone()
    }
    fn view(&self) -> View<'_> {
        if self.options.is_empty() {
            return View::Choice(None);
        }
        View::Choice(Some(self.selected.and_then(|i| self.options.get(i)).map_or(CHOOSE, |(_, l)| l.as_str())))
    }
    take_by_refill!();
}

impl<T: Clone + PartialEq + std::fmt::Debug + 'static> Part for Choice<T> {
    type Value = Option<T>;
    fn value(&self) -> Option<T> {
        self.chosen().cloned()
    }
    fn inputs<'a>(&'a self, out: &mut Vec<&'a dyn Input>) {
        out.push(self)
    }
    fn inputs_mut<'a>(&'a mut self, out: &mut Vec<&'a mut dyn Input>) {
        out.push(self)
    }
    fn refill_from(&mut self, old: &Self) {
        if let Some(i) = old.chosen().and_then(|v| self.options.iter().position(|(o, _)| o == v)) {
            self.selected = Some(i);
        }
    }
}

/// Yes or no, in that order.
#[derive(Debug, Clone)]
pub struct YesNo(Choice<bool>);

impl YesNo {
    pub fn new(label: &'static str, initial: bool) -> YesNo {
        YesNo(Choice::new(label, vec![(true, "Yes".into()), (false, "No".into())], Some(&initial)))
    }
}

impl Input for YesNo {
    fn label(&self) -> &'static str {
        self.0.label()
    }
    fn hint(&self) -> &'static str {
        self.0.hint()
    }
    fn height(&self) -> u16 {
        1
    }
    fn key(&mut self, key: KeyEvent) -> bool {
        self.0.key(key)
    }
    fn view(&self) -> View<'_> {
        self.0.view()
    }
    fn note(&self) -> Option<String> {
        self.0.note()
    }
    take_by_refill!();
}

impl Part for YesNo {
    type Value = bool;
    fn value(&self) -> bool {
        self.0.chosen() == Some(&true)
    }
    fn inputs<'a>(&'a self, out: &mut Vec<&'a dyn Input>) {
        out.push(self)
    }
    fn inputs_mut<'a>(&'a mut self, out: &mut Vec<&'a mut dyn Input>) {
        out.push(self)
    }
    fn refill_from(&mut self, old: &Self) {
        self.0.refill_from(&old.0)
    }
}

/// Any of a list: (value, label, ticked). Its value is the ticked values, in order.
#[derive(Debug, Clone)]
pub struct Checks<T> {
    label: &'static str,
    options: Vec<(T, String, bool)>,
    cursor: usize,
}

impl<T: Clone + PartialEq + std::fmt::Debug> Checks<T> {
    pub fn new(label: &'static str, options: Vec<(T, String, bool)>) -> Checks<T> {
        Checks { label, options, cursor: 0 }
    }
    /// Each option's label and whether it is ticked.
    pub fn options(&self) -> impl Iterator<Item = (&str, bool)> {
        self.options.iter().map(|(_, l, on)| (l.as_str(), *on))
    }
}

impl<T: Clone + PartialEq + std::fmt::Debug + 'static> Input for Checks<T> {
    fn label(&self) -> &'static str {
        self.label
    }
    fn hint(&self) -> &'static str {
        "↑/↓ move, space ticks"
    }
    fn height(&self) -> u16 {
        self.options.len().clamp(1, 6) as u16
    }
    fn key(&mut self, key: KeyEvent) -> bool {
        match key.code {
            KeyCode::Down | KeyCode::Char('j') if self.cursor + 1 < self.options.len() => self.cursor += 1,
            KeyCode::Up | KeyCode::Char('k') if self.cursor > 0 => self.cursor -= 1,
            KeyCode::Char(' ') | KeyCode::Char('x') => {
                if let Some(o) = self.options.get_mut(self.cursor) {
                    o.2 = !o.2;
                }
            }
            KeyCode::Enter => return true,
            _ => {}
        }
        false
    }
    fn view(&self) -> View<'_> {
        View::Checks { options: self.options().collect(), cursor: self.cursor }
    }
    take_by_refill!();
}

impl<T: Clone + PartialEq + std::fmt::Debug + 'static> Part for Checks<T> {
    type Value = Vec<T>;
    fn value(&self) -> Vec<T> {
        self.options.iter().filter(|(_, _, on)| *on).map(|(v, _, _)| v.clone()).collect()
    }
    fn inputs<'a>(&'a self, out: &mut Vec<&'a dyn Input>) {
        out.push(self)
    }
    fn inputs_mut<'a>(&'a mut self, out: &mut Vec<&'a mut dyn Input>) {
        out.push(self)
    }
    fn refill_from(&mut self, old: &Self) {
        for o in self.options.iter_mut() {
            o.2 = old.options.iter().find(|(v, _, _)| *v == o.0).is_some_and(|(_, _, on)| *on);
        }
    }
}

#[cfg(test)]
mod choice_tests {
    use super::*;

    fn press(c: &mut Choice<&'static str>, code: KeyCode) {
        c.key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn options() -> Vec<(&'static str, String)> {
        vec![("6_1_c", "Art. 6(1)(c)".into()), ("6_1_e", "Art. 6(1)(e)".into())]
    }

    #[test]
    fn an_unset_choice_has_no_value_until_one_is_made() {
        let mut c = Choice::unset("Art. 6", options());
        assert_eq!(c.value(), None);
        assert!(matches!(c.view(), View::Choice(Some(CHOOSE))));
        press(&mut c, KeyCode::Right);
        assert_eq!(c.value(), Some("6_1_c"));
        let mut c = Choice::unset("Art. 6", options());
        press(&mut c, KeyCode::Left);
        assert_eq!(c.value(), Some("6_1_e"), "left from nothing lands on the last");
    }

    #[test]
    fn unset_unless_chooses_only_what_was_stored() {
        assert_eq!(Choice::unset_unless("Art. 6", options(), Some(&"6_1_e")).value(), Some("6_1_e"));
        assert_eq!(Choice::unset_unless("Art. 6", options(), None).value(), None);
        assert_eq!(Choice::unset_unless("Art. 6", options(), Some(&"9_2_g")).value(), None);
    }

    #[test]
    fn a_plain_choice_still_starts_on_its_first_option() {
        assert_eq!(Choice::new("Art. 6", options(), None).value(), Some("6_1_c"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(i: &mut dyn Input, code: KeyCode) {
        i.key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn approver() -> Choice<&'static str> {
        let names = [("dee", "Dee Imaginary"), ("mo", "Mo Owner"), ("mark", "Mark Other"), ("hal", "Hal Example")];
        Choice::unset("Approver", names.iter().map(|(v, l)| (*v, l.to_string())).collect())
    }

    #[test]
    fn letters_in_a_choice_jump_to_the_option_they_start_and_say_so() {
        let mut c = approver();
        press(&mut c, KeyCode::Char('m'));
        assert_eq!(c.chosen(), Some(&"mo"));
        assert_eq!(c.note().as_deref(), Some("“m”: Mo Owner chosen (←/→ for the others)"));
        // More letters narrow it; a word inside the name counts too.
        press(&mut c, KeyCode::Char('a'));
        assert_eq!(c.chosen(), Some(&"mark"));
        assert!(c.note().unwrap().contains("Mark Other chosen"));
        // h and l are letters like any other, not ←/→.
        press(&mut c, KeyCode::Left);
        assert_eq!((c.chosen(), c.note()), (Some(&"mo"), None), "an arrow moves and the note goes");
        press(&mut c, KeyCode::Char('h'));
        assert_eq!(c.chosen(), Some(&"hal"));
        press(&mut c, KeyCode::Char('e'));
        assert_eq!(c.chosen(), Some(&"hal"), "“he” is Hal Example's second word: still Hal");
    }

    #[test]
    fn letters_no_option_starts_with_leave_the_choice_and_say_so() {
        let mut c = approver();
        press(&mut c, KeyCode::Char('z'));
        assert_eq!(c.chosen(), None, "nothing chosen for the user");
        assert_eq!(c.note().as_deref(), Some("No option starts with “z”: still as it was; ←/→ to choose"));
        press(&mut c, KeyCode::Char('d'));
        press(&mut c, KeyCode::Char('q'));
        assert_eq!(c.chosen(), Some(&"dee"), "a letter that fits nothing keeps the choice");
        assert!(c.note().unwrap().starts_with("No option starts with “q”"));
        let mut yes = YesNo::new("Supervised throughout", true);
        press(&mut yes, KeyCode::Char('n'));
        assert!(!Part::value(&yes));
        assert!(yes.note().unwrap().contains("No chosen"));
    }

    #[test]
    fn ctrl_u_empties_text_and_dates_but_not_a_choice() {
        let mut t = Text::line("Reason", "typed here", "");
        t.clear();
        assert_eq!(t.text(), "");
        let mut d = Date::new("On", "24/11/2026", "");
        d.clear();
        assert_eq!(Part::value(&d).0, "");
        let mut c = approver();
        press(&mut c, KeyCode::Char('d'));
        c.clear();
        assert_eq!(c.chosen(), Some(&"dee"));
    }
}
