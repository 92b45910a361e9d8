//! The complaint and suggestion channel (举报/意见), reachable from every
//! survey page. It asks for no personal data; a contact is optional.

pub mod form;
